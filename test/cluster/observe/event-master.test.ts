// Which master a Sentinel event is about: a Sentinel that monitors several masters publishes all of their events on
// one connection, and each lab keeps only its own master's (engine/observer.ts).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventMasterName } from '../../../src/cluster/observe/sentinel-events.js';

describe('eventMasterName', () => {
  it('reads the master from every payload shape that names one', () => {
    assert.equal(eventMasterName('+sdown', 'master cache 10.0.0.5 7000'), 'cache');
    assert.equal(eventMasterName('+odown', 'master cache 10.0.0.5 7000 #quorum 2/2'), 'cache');
    assert.equal(eventMasterName('+slave', 'slave 10.0.0.6:7001 10.0.0.6 7001 @ cache 10.0.0.5 7000'), 'cache');
    assert.equal(
      eventMasterName('+sentinel', 'sentinel 4e515b36a1 10.0.0.1 26380 @ sessions 10.0.0.5 6379'),
      'sessions',
    );
    assert.equal(eventMasterName('+switch-master', 'sessions 10.0.0.5 6379 10.0.0.6 6380'), 'sessions');
  });

  it('events about no master (epochs, votes, TILT) belong to every lab', () => {
    assert.equal(eventMasterName('+new-epoch', '3'), undefined);
    assert.equal(eventMasterName('+vote-for-leader', '4657509d 3'), undefined);
    assert.equal(eventMasterName('+tilt', '#tilt mode entered'), undefined);
    assert.equal(eventMasterName('+made-up', 'nonsense'), undefined);
  });
});
