// A host heading in the topology: its address, the clients that run there and the faults that hit it.
import { Text } from 'ink';
import { memo } from 'react';
import { useLab } from '../hooks/use-lab.js';
import { useTheme } from '../hooks/use-theme.js';
import { hostFaultNotes } from '../lib/fault-view.js';

export const HostRow = memo(function HostRow({ host }: { host: string }) {
  const theme = useTheme();
  const ip = useLab((s) => s.topology.hosts.find((h) => h.id === host)?.publicIp ?? '');
  const clients = useLab((s) =>
    (['A', 'B'] as const)
      .filter((c) => s.topology.clients[c].host === host)
      .map((c) => `client ${c}`)
      .join(', '),
  );
  const notes = useLab((s) => hostFaultNotes(s.faults, host).join('  '));
  return (
    <Text wrap="truncate-end">
      <Text {...theme.style('text.title')}>{host}</Text>
      <Text {...theme.style('status.muted')}> {ip}</Text>
      {clients ? <Text {...theme.style('status.info')}> · {clients}</Text> : null}
      {notes ? <Text {...theme.style('status.error')}> {notes}</Text> : null}
    </Text>
  );
});
