"""kazoo (Python ZooKeeper client, Debian's python3-kazoo) against a server given as HOST:PORT.

Runs sessions, CRUD, one-shot watches, the DataWatch and ChildrenWatch recipes, transactions,
digest ACLs, server_version() (which sends the `envi` four-letter word) and a reconnect with the
same session, and prints every observation as one JSON object for test/compat/kazoo.test.ts.
"""
import json
import socket
import sys
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import (BadVersionError, NoAuthError, NodeExistsError, NoNodeError,
                              NotEmptyError, RolledBackError)
from kazoo.protocol.states import KazooState
from kazoo.security import make_digest_acl

HOSTS = sys.argv[1]
out = {}


def wait_for(predicate, timeout=10.0):
    """Polls until predicate() is true; False on timeout (never loops unbounded)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def error_name(fn):
    try:
        fn()
        return None
    except Exception as e:  # the exception class is the observation
        return type(e).__name__


def crud(zk):
    zk.ensure_path('/kz/a/b')
    out['ensure_path'] = zk.exists('/kz/a/b') is not None
    path = zk.create('/kz/n', b'hello')
    data, stat = zk.get('/kz/n')
    out['create'] = [path, data.decode(), stat.version, stat.data_length]
    out['create_exists_error'] = error_name(lambda: zk.create('/kz/n', b'x'))
    out['create_nonode_error'] = error_name(lambda: zk.create('/kz/none/x', b'x'))
    out['set'] = zk.set('/kz/n', b'world', version=0).version
    out['set_bad_version'] = error_name(lambda: zk.set('/kz/n', b'x', version=0))
    out['seq'] = [zk.create('/kz/s-', b'', sequence=True) for _ in range(2)]
    out['eph_owner_is_me'] = zk.exists(zk.create('/kz/e', b'', ephemeral=True)).ephemeralOwner == zk.client_id[0]
    out['children'] = sorted(zk.get_children('/kz'))
    out['not_empty'] = error_name(lambda: zk.delete('/kz/a'))
    zk.delete('/kz/a', recursive=True)
    out['after_recursive_delete'] = zk.exists('/kz/a') is None


def watches(zk, other):
    events = []
    zk.get('/kz/n', watch=lambda e: events.append([e.type, e.path]))
    zk.get_children('/kz', watch=lambda e: events.append([e.type, e.path]))
    other.set('/kz/n', b'changed')
    other.create('/kz/c1', b'')
    wait_for(lambda: len(events) >= 2)
    out['one_shot_events'] = events

    data_seen, children_seen = [], []
    zk.DataWatch('/kz/dw', func=lambda data, stat: data_seen.append(None if data is None else data.decode()))
    zk.ChildrenWatch('/kz', func=lambda ch: children_seen.append(sorted(ch)))
    other.create('/kz/dw', b'one')
    wait_for(lambda: data_seen[-1:] == ['one'])
    other.set('/kz/dw', b'two')
    wait_for(lambda: data_seen[-1:] == ['two'])
    other.delete('/kz/dw')
    wait_for(lambda: len(data_seen) >= 4 and data_seen[-1] is None and len(children_seen) >= 3)
    out['data_watch'] = list(data_seen)
    out['children_watch'] = list(children_seen)


def transactions(zk):
    t = zk.transaction()
    t.create('/kz/t1', b'x')
    t.set_data('/kz/n', b'txn')
    t.check('/kz/t1', 0)
    t.delete('/kz/c1')
    out['txn_ok'] = [r if isinstance(r, (str, bool)) else type(r).__name__ for r in t.commit()]
    t = zk.transaction()
    t.create('/kz/t2', b'x')
    t.check('/kz/n', 99)
    t.delete('/kz/t1')
    out['txn_fail'] = [type(r).__name__ if isinstance(r, Exception) else r for r in t.commit()]
    out['txn_rolled_back'] = zk.exists('/kz/t2') is None and zk.exists('/kz/t1') is not None


def acls(hosts):
    owner = KazooClient(hosts=hosts, auth_data=[('digest', 'kazoo:pw')])
    owner.start(timeout=10)
    acl = make_digest_acl('kazoo', 'pw', all=True)
    owner.create('/kz/secret', b's', acl=[acl])
    acls_read, _ = owner.get_acls('/kz/secret')
    out['acl'] = [[a.id.scheme, a.id.id, a.perms] for a in acls_read]
    stranger = KazooClient(hosts=hosts)
    stranger.start(timeout=10)
    out['acl_stranger_get'] = error_name(lambda: stranger.get('/kz/secret'))
    stranger.add_auth('digest', 'kazoo:pw')
    out['acl_after_auth'] = stranger.get('/kz/secret')[0].decode()
    owner.delete('/kz/secret')
    for c in (owner, stranger):
        c.stop()
        c.close()


def reconnect(zk, other):
    states = []
    zk.add_listener(lambda s: states.append(s))
    session = zk.client_id[0]
    events, seen = [], []
    zk.get('/kz/n', watch=lambda e: events.append([e.type, e.path]))
    zk.DataWatch('/kz/n', func=lambda data, stat: seen.append(data.decode()))
    # Drop the TCP connection under the client. kazoo 2.8 fires its one-shot watchers with a NONE
    # event, reconnects on the same session, and its DataWatch recipe re-reads the node.
    zk._connection._socket.shutdown(socket.SHUT_RDWR)
    wait_for(lambda: KazooState.SUSPENDED in states)
    other.set('/kz/n', b'while-away')
    wait_for(lambda: states[-1:] == [KazooState.CONNECTED] and seen[-1:] == ['while-away'])
    out['reconnect_states'] = [str(s) for s in states]
    out['reconnect_same_session'] = zk.client_id[0] == session
    out['reconnect_events'] = events
    out['reconnect_data_watch_last'] = seen[-1]
    out['reconnect_get'] = zk.get('/kz/n')[0].decode()


def main():
    zk = KazooClient(hosts=HOSTS, timeout=10)
    zk.start(timeout=10)
    other = KazooClient(hosts=HOSTS, timeout=10)
    other.start(timeout=10)
    out['connected'] = zk.connected and zk.client_id[0] != 0
    out['server_version'] = list(zk.server_version())
    for step in (lambda: crud(zk), lambda: watches(zk, other), lambda: transactions(zk),
                 lambda: acls(HOSTS), lambda: reconnect(zk, other)):
        step()
    zk.delete('/kz', recursive=True)
    for c in (zk, other):
        c.stop()
        c.close()


if __name__ == '__main__':
    try:
        main()
    except Exception as e:
        out['fatal'] = '%s: %s' % (type(e).__name__, e)
    print(json.dumps(out))
