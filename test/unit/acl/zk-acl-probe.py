# Asks a real Apache ZooKeeper what it does with ACLs, for acl-vs-zookeeper.test.ts.
# stdin: {"hosts": "...", "cases": [{"path", "acl": [[perms, scheme, id]], "creatorAuth": [...],
#         "readerAuth": [...]}]}; stdout: one JSON result per case:
# {"create": "ok"|<error>, "stored": [[perms, scheme, id]], "read": "ok"|<error>}
import json
import sys

from kazoo.client import KazooClient
from kazoo.security import ACL, Id


def client(hosts, auths):
    zk = KazooClient(hosts=hosts, timeout=10)
    zk.start(timeout=15)
    for a in auths:
        zk.add_auth('digest', a)
    return zk


def run(hosts, case, superauth):
    acl = [ACL(p, Id(s, i)) for p, s, i in case['acl']]
    creator = client(hosts, case['creatorAuth'])
    out = {}
    try:
        creator.create(case['path'], b'x', acl=acl)
        out['create'] = 'ok'
    except Exception as e:  # the error class name is the answer
        out['create'] = type(e).__name__
    finally:
        creator.stop()
        creator.close()
    if out['create'] != 'ok':
        return out
    admin = client(hosts, [superauth])
    try:
        stored, _ = admin.get_acls(case['path'])
        out['stored'] = [[a.perms, a.id.scheme, a.id.id] for a in stored]
    finally:
        admin.stop()
        admin.close()
    reader = client(hosts, case['readerAuth'])
    try:
        reader.get(case['path'])
        out['read'] = 'ok'
    except Exception as e:
        out['read'] = type(e).__name__
    finally:
        reader.stop()
        reader.close()
    return out


def main():
    req = json.load(sys.stdin)
    print(json.dumps([run(req['hosts'], c, req['superAuth']) for c in req['cases']]))


main()
