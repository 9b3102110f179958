# Kazoo helper for the persistence interop tests against Apache ZooKeeper 3.8.
#   zk_tree.py populate PORT OUT.json  - writes a varied tree, dumps it, prints READY, then waits
#                                        on stdin with the session open (its ephemerals stay).
#   zk_tree.py dump PORT OUT.json      - dumps every node (data, ACL, full Stat) and exits.
import base64, json, sys
from kazoo.client import KazooClient
from kazoo.security import make_digest_acl, make_acl, OPEN_ACL_UNSAFE, READ_ACL_UNSAFE

AUTH = ('alice', 'secret')

def connect(port):
    zk = KazooClient(hosts='127.0.0.1:%s' % port, timeout=20)
    zk.start(timeout=20)
    zk.add_auth('digest', '%s:%s' % AUTH)
    return zk

def populate(zk, port):
    alice = make_digest_acl(AUTH[0], AUTH[1], all=True)
    bob_read = make_digest_acl('bob', 'pw', read=True)
    zk.create('/app', b'root of app')
    zk.create('/app/config', b'{"a": 1}', acl=[alice])
    zk.create('/app/shared', b'', acl=[alice, bob_read, make_acl('world', 'anyone', read=True)])
    zk.create('/app/big', b'\x01\x02' * 500000)
    zk.create('/app/empty', None)
    zk.create('/\u00fcn\u00efc\u00f8d\u00e9', '\u00df'.encode('utf-8'))
    for i in range(60):
        zk.create('/app/queue/item-', b'%d' % i, sequence=True, makepath=True)
    for i in range(0, 60, 3):
        zk.delete('/app/queue/item-%010d' % i)
    for i in range(40):
        zk.set('/app/config', b'{"a": %d}' % i)
    zk.set_acls('/app/shared', [alice, make_acl('world', 'anyone', read=True)])
    zk.set_acls('/app', OPEN_ACL_UNSAFE)
    for d in range(4):
        for j in range(15):
            zk.create('/tree/d%d/leaf%d' % (d, j), b'x' * (j * 37), makepath=True)
    t = zk.transaction()
    t.create('/multi', b'm')
    t.create('/multi/child', b'c')
    t.set_data('/app', b'changed in multi')
    t.commit()
    bad = zk.transaction()
    bad.create('/never', b'')
    bad.check('/app', 999)
    bad.commit()
    zk.create('/app/lock-', b'me', ephemeral=True, sequence=True)
    zk.create('/app/session-eph', b'e', ephemeral=True)
    other = connect(port)
    other.create('/app/gone-eph', b'bye', ephemeral=True)
    other.create('/app/gone-eph2', b'bye', ephemeral=True)
    other.stop()
    other.close()
    zk.delete('/tree/d3', recursive=True)
    for i in range(30):
        zk.create('/burst/n', b'%d' % i, sequence=True, makepath=True)

def dump(zk):
    out = {}
    def walk(path):
        data, stat = zk.get(path)
        acls, _ = zk.get_acls(path)
        out[path] = {
            'data': None if data is None else base64.b64encode(data).decode(),
            'acl': [[a.perms, a.id.scheme, a.id.id] for a in acls],
            'stat': [stat.czxid, stat.mzxid, stat.ctime, stat.mtime, stat.version, stat.cversion,
                     stat.aversion, stat.ephemeralOwner, stat.dataLength, stat.numChildren, stat.pzxid],
        }
        for c in zk.get_children(path):
            walk(path.rstrip('/') + '/' + c)
    walk('/')
    return out

def main():
    cmd, port, out = sys.argv[1], sys.argv[2], sys.argv[3]
    zk = connect(port)
    if cmd == 'populate':
        populate(zk, port)
    with open(out, 'w') as f:
        json.dump({'session': zk.client_id[0], 'nodes': dump(zk)}, f)
    if cmd == 'populate':
        print('READY', flush=True)
        sys.stdin.read()
        return
    zk.stop()
    zk.close()

main()
