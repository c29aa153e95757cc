/*
 * A measuring stick for the fabric, not part of the lab: a plain TCP forwarder in C, the shape of haproxy's own
 * data path for small messages (one epoll loop per thread, one recv and one send per chunk, no JavaScript, no
 * libuv), to tell whether native code on this machine would meet haproxy where a Node process does not
 * (scripts/bench/ceiling-proxy.mjs). With `threads` > 1 every thread listens on the same address (SO_REUSEPORT) and
 * the kernel spreads the connections. No faults, no accounting, IPv4 only. The bench compiles it with `cc` into a
 * temporary directory; nothing of it ships.
 *
 *   native-forwarder <listenIp> <listenPort> <targetIp> <targetPort> <threads>
 *
 * Prints `ready <port>` once every thread listens (port 0: any free one); exits when its stdin closes (the bench
 * ends or dies).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF_BYTES 16384
#define MAX_EVENTS 64

/* One direction: bytes read from `fd` go to the peer's fd; `len - off` of them wait when the peer was full. */
struct side {
  int fd;
  struct conn *conn;
  struct side *peer;
  int len, off;
  char buf[BUF_BYTES];
};
struct conn {
  struct side a, b;
  int dead;
  struct conn *next_dead;
};

static struct sockaddr_in listen_addr, target_addr;
static int listener_marker; /* the epoll tag of the listening socket */

static void die(const char *what) {
  perror(what);
  exit(1);
}

static int listen_on(struct sockaddr_in *addr) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  if (fd < 0) die("socket");
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
  if (bind(fd, (struct sockaddr *)addr, sizeof *addr) < 0) die("bind");
  if (listen(fd, 511) < 0) die("listen");
  socklen_t len = sizeof *addr;
  getsockname(fd, (struct sockaddr *)addr, &len); /* the port the kernel chose, for the next threads */
  return fd;
}

/* What `s` waits for follows from the state: reading while it holds nothing, writing while its peer holds bytes. */
static void watch(int ep, int op, struct side *s) {
  struct epoll_event ev = {.events = (s->len ? 0u : EPOLLIN) | (s->peer->len ? EPOLLOUT : 0u), .data.ptr = s};
  epoll_ctl(ep, op, s->fd, &ev);
}

static void kill_conn(int ep, struct conn *c, struct conn **dead) {
  if (c->dead) return;
  c->dead = 1;
  epoll_ctl(ep, EPOLL_CTL_DEL, c->a.fd, NULL);
  epoll_ctl(ep, EPOLL_CTL_DEL, c->b.fd, NULL);
  close(c->a.fd);
  close(c->b.fd);
  c->next_dead = *dead; /* freed after this batch of events, which may still name it */
  *dead = c;
}

static void accept_one(int ep, int lfd) {
  int caller = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (caller < 0) return;
  int up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  /* A blocking connect keeps this short; on loopback it completes at once. */
  if (up < 0 || connect(up, (struct sockaddr *)&target_addr, sizeof target_addr) < 0) {
    close(caller);
    if (up >= 0) close(up);
    return;
  }
  fcntl(up, F_SETFL, fcntl(up, F_GETFL) | O_NONBLOCK);
  int one = 1;
  setsockopt(caller, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct conn *c = calloc(1, sizeof *c);
  if (!c) die("calloc");
  c->a.fd = caller;
  c->b.fd = up;
  c->a.conn = c->b.conn = c;
  c->a.peer = &c->b;
  c->b.peer = &c->a;
  watch(ep, EPOLL_CTL_ADD, &c->a);
  watch(ep, EPOLL_CTL_ADD, &c->b);
}

static void *loop(void *arg) {
  int lfd = (int)(long)arg;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  if (ep < 0) die("epoll_create1");
  struct epoll_event lev = {.events = EPOLLIN, .data.ptr = &listener_marker};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &lev);
  struct epoll_event evs[MAX_EVENTS];
  for (;;) {
    int n = epoll_wait(ep, evs, MAX_EVENTS, -1);
    if (n < 0 && errno != EINTR) die("epoll_wait");
    struct conn *dead = NULL;
    for (int i = 0; i < n; i++) {
      if (evs[i].data.ptr == &listener_marker) {
        accept_one(ep, lfd);
        continue;
      }
      struct side *s = evs[i].data.ptr;
      struct side *p = s->peer;
      if (s->conn->dead) continue;
      if (evs[i].events & EPOLLERR) {
        kill_conn(ep, s->conn, &dead);
        continue;
      }
      if ((evs[i].events & EPOLLOUT) && p->len) {
        /* s can take the bytes its peer could not hand over earlier. */
        ssize_t w = send(s->fd, p->buf + p->off, (size_t)(p->len - p->off), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN) {
          kill_conn(ep, s->conn, &dead);
          continue;
        }
        if (w > 0) p->off += (int)w;
        if (p->off == p->len) {
          p->len = p->off = 0;
          watch(ep, EPOLL_CTL_MOD, s);
          watch(ep, EPOLL_CTL_MOD, p);
        }
        continue;
      }
      if (s->len) {
        /* Still waiting for the peer to drain; a hang-up is reported even though reading is off. */
        if (evs[i].events & EPOLLHUP) kill_conn(ep, s->conn, &dead);
        continue;
      }
      ssize_t r = recv(s->fd, s->buf, BUF_BYTES, 0);
      if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (r <= 0) {
        kill_conn(ep, s->conn, &dead);
        continue;
      }
      ssize_t w = send(p->fd, s->buf, (size_t)r, MSG_NOSIGNAL);
      if (w < 0 && errno != EAGAIN) {
        kill_conn(ep, s->conn, &dead);
        continue;
      }
      if (w < 0) w = 0;
      if (w < r) {
        /* The peer is full: stop reading s, wait until the peer can take the rest. */
        s->len = (int)r;
        s->off = (int)w;
        watch(ep, EPOLL_CTL_MOD, s);
        watch(ep, EPOLL_CTL_MOD, p);
      }
    }
    while (dead) {
      struct conn *next = dead->next_dead;
      free(dead);
      dead = next;
    }
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 6 || atoi(argv[5]) < 1) {
    fprintf(stderr, "usage: native-forwarder <listenIp> <listenPort> <targetIp> <targetPort> <threads>\n");
    return 2;
  }
  listen_addr.sin_family = target_addr.sin_family = AF_INET;
  if (inet_pton(AF_INET, argv[1], &listen_addr.sin_addr) != 1 || inet_pton(AF_INET, argv[3], &target_addr.sin_addr) != 1) {
    fprintf(stderr, "native-forwarder: not an IPv4 address\n");
    return 2;
  }
  listen_addr.sin_port = htons((unsigned short)atoi(argv[2]));
  target_addr.sin_port = htons((unsigned short)atoi(argv[4]));
  int threads = atoi(argv[5]);
  /* Every listener is bound before `ready`, so no connection can arrive before its thread listens. */
  for (int i = 0; i < threads; i++) {
    pthread_t t;
    int lfd = listen_on(&listen_addr);
    if (pthread_create(&t, NULL, loop, (void *)(long)lfd) != 0) die("pthread_create");
    pthread_detach(t);
  }
  printf("ready %d\n", ntohs(listen_addr.sin_port));
  fflush(stdout);
  char b[256];
  while (read(0, b, sizeof b) > 0) {
  }
  return 0;
}
