// Scripted scenarios run by the Java client (test/compat/java/ZkScript.java) against Apache
// ZooKeeper and the subject. One root per scenario, so a failure in one does not disturb the rest;
// every scenario closes its sessions. `raw` lines bypass the Java client's own argument checks.
export interface Scenario {
  name: string;
  lines: string[];
}

function sc(name: string, text: string): Scenario {
  return { name, lines: text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')) };
}

export const scenarios: Scenario[] = [
  sc('crud and stats', `
    connect a
    create2 a /d-crud hello PERSISTENT
    create a /d-crud hello PERSISTENT
    create a /d-crud/x/y v PERSISTENT
    create2 a /d-crud/c1 ~ PERSISTENT
    create2 a /d-crud/c2 "two words" PERSISTENT
    get a /d-crud
    get a /d-crud/c1
    ls a /d-crud
    ls1 a /d-crud
    set a /d-crud new 0
    set a /d-crud newer 0
    set a /d-crud any -1
    set a /d-crud/none x -1
    exists a /d-crud
    exists a /d-crud/none
    delete a /d-crud 0
    delete a /d-crud/c1 3
    delete a /d-crud/c1 0
    delete a /d-crud/c1 -1
    ls a /d-crud
    getAcl a /d-crud
    count a /d-crud
    sync a /d-crud
    delete a /d-crud/c2 -1
    delete a /d-crud -1
    exists a /d-crud
    close a
  `),
  sc('sequential names', `
    connect a
    create a /d-seq x PERSISTENT
    create2 a /d-seq/n- x PERSISTENT_SEQUENTIAL
    create2 a /d-seq/n- x PERSISTENT_SEQUENTIAL
    create a /d-seq/plain x PERSISTENT
    create a /d-seq/n- x PERSISTENT_SEQUENTIAL
    delete a /d-seq/plain -1
    create a /d-seq/n- x PERSISTENT_SEQUENTIAL
    create a /d-seq/e- x EPHEMERAL_SEQUENTIAL
    create a /d-seq/ x PERSISTENT_SEQUENTIAL
    ls a /d-seq
    ephemerals a /d-seq
    multi a create /d-seq/m- x PERSISTENT_SEQUENTIAL | create /d-seq/m- x PERSISTENT_SEQUENTIAL
    ls a /d-seq
    close a
  `),
  sc('ephemerals and session close', `
    connect a
    connect b
    connect w
    create a /d-eph x PERSISTENT
    create2 a /d-eph/e1 x EPHEMERAL
    create2 b /d-eph/e2 x EPHEMERAL
    create a /d-eph/e1/child x PERSISTENT
    create a /d-eph/e1/child x EPHEMERAL
    get w /d-eph/e1 watch
    exists w /d-eph/e2 watch
    ls w /d-eph watch
    ephemerals a
    ephemerals a /d-eph
    ephemerals b /d-eph/e
    ephemerals w
    events w
    close a
    events w
    exists w /d-eph/e1
    ls w /d-eph watch
    close b
    events w
    ls w /d-eph
    close w
  `),
  sc('one-shot watches of every kind', `
    connect a
    connect w
    create a /d-watch x PERSISTENT
    exists w /d-watch/n watch
    create a /d-watch/n v PERSISTENT
    events w
    get w /d-watch/n watch
    exists w /d-watch/n watch
    set a /d-watch/n v2 -1
    set a /d-watch/n v3 -1
    events w
    ls w /d-watch watch
    ls1 w /d-watch watch
    create a /d-watch/m v PERSISTENT
    create a /d-watch/k v PERSISTENT
    events w
    get w /d-watch/n watch
    ls w /d-watch/n watch
    delete a /d-watch/n -1
    events w
    get w /d-watch/m watch
    ls w /d-watch watch
    delete a /d-watch/m -1
    events w
    exists w /d-watch/gone watch
    get w /d-watch/gone watch
    create a /d-watch/gone x PERSISTENT
    events w
    get a /d-watch/k watch
    get w /d-watch/k watch
    set a /d-watch/k y -1
    events a
    events w
    delete a /d-watch/k -1
    delete a /d-watch/gone -1
    delete a /d-watch -1
    events w
    close a
    close w
  `),
  sc('persistent and recursive watches', `
    connect a
    connect w
    create a /d-pw x PERSISTENT
    create a /d-pw/p x PERSISTENT
    addWatch w /d-pw/p PERSISTENT
    addWatch w /d-pw PERSISTENT_RECURSIVE
    set a /d-pw/p 1 -1
    set a /d-pw/p 2 -1
    create a /d-pw/p/c x PERSISTENT
    create a /d-pw/p/c/deep x PERSISTENT
    set a /d-pw/p/c/deep y -1
    delete a /d-pw/p/c/deep -1
    events w
    get w /d-pw/p watch
    set a /d-pw/p 3 -1
    events w
    delete a /d-pw/p/c -1
    delete a /d-pw/p -1
    events w
    create a /d-pw/p again PERSISTENT
    events w
    addWatch w /d-pw/none PERSISTENT
    create a /d-pw/none x PERSISTENT
    events w
    raw w removeWatches /d-pw 3
    set a /d-pw/p 4 -1
    events w
    delete a /d-pw/p -1
    delete a /d-pw/none -1
    delete a /d-pw -1
    events w
    close a
    close w
  `),
  sc('multi success and failure', `
    connect a
    connect w
    create a /d-multi x PERSISTENT
    create a /d-multi/v x PERSISTENT
    exists w /d-multi/a watch
    get w /d-multi/v watch
    ls w /d-multi watch
    multi a create /d-multi/a 1 PERSISTENT | set /d-multi/v 5 7 | delete /d-multi/zz -1
    multi a create /d-multi/a 1 PERSISTENT | set /d-multi/v 5 3 | check /d-multi/v 0
    multi a create /d-multi/a 1 PERSISTENT | create /d-multi/a 1 PERSISTENT
    multi a check /d-multi/v 9 | create /d-multi/b 1 PERSISTENT
    multi a create /d-multi/a/b/c 1 PERSISTENT
    events w
    exists a /d-multi/a
    multi a create /d-multi/a 1 PERSISTENT | set /d-multi/v 5 0 | check /d-multi/v 1 | create /d-multi/a/b 2 EPHEMERAL | delete /d-multi/a/b -1
    events w
    get a /d-multi/v
    ls a /d-multi
    multi a delete /d-multi/a -1 | delete /d-multi/v 1
    multi a
    ls a /d-multi
    delete a /d-multi -1
    close a
    close w
  `),
  sc('versions, NotEmpty, NoChildrenForEphemerals', `
    connect a
    create a /d-ver x PERSISTENT
    create a /d-ver/c x PERSISTENT
    delete a /d-ver -1
    delete a /d-ver 0
    set a /d-ver/c y 1
    set a /d-ver/c y 0
    set a /d-ver/c y 0
    set a /d-ver/c y 1
    setAcl a /d-ver/c read 5
    setAcl a /d-ver/c open 0
    setAcl a /d-ver/c open 0
    getAcl a /d-ver/c
    create a /d-ver/e x EPHEMERAL
    create a /d-ver/e/c x PERSISTENT
    create a /d-ver/e/c x EPHEMERAL_SEQUENTIAL
    create a /d-ver/none/c x PERSISTENT
    delete a /d-ver/none -1
    delete a /d-ver/c -1
    delete a /d-ver/e -1
    delete a /d-ver -1
    close a
  `),
  sc('invalid paths seen by the server', `
    connect a
    raw a create relative 0
    raw a create /trailing/ 0
    raw a create /double//slash 0
    raw a create /dot/./x 0
    raw a create /dotdot/../x 0
    raw a create / 0
    raw a create "" 0
    raw a create /zookeeper/x 0
    raw a exists relative
    raw a exists /a/
    raw a exists ""
    raw a getData /a//b
    raw a getChildren relative
    raw a delete / -1
    raw a delete /zookeeper -1
    raw a setData /bad/ -1
    raw a getACL relative
    raw a sync relative
    raw a addWatch relative 0
    create a relative x PERSISTENT
    exists a /a/
    close a
  `),
  sc('ACLs with digest auth', `
    connect owner
    connect other
    auth owner digest alice:secret
    create2 owner /d-acl x PERSISTENT
    create2 owner /d-acl/private p PERSISTENT digestpw:alice:secret=rwcda
    create owner /d-acl/ro r PERSISTENT world:anyone=r
    create owner /d-acl/mine m PERSISTENT creator
    create other /d-acl/theirs m PERSISTENT creator
    create other /d-acl/authless m PERSISTENT auth:=rwcda
    create owner /d-acl/badperm m PERSISTENT world:anyone=
    getAcl other /d-acl/private
    getAcl owner /d-acl/mine
    get other /d-acl/private
    exists other /d-acl/private
    set other /d-acl/private q -1
    ls other /d-acl/private
    create other /d-acl/private/c x PERSISTENT
    setAcl other /d-acl/private open -1
    get other /d-acl/ro
    set other /d-acl/ro q -1
    create other /d-acl/ro/c x PERSISTENT
    delete other /d-acl/mine -1
    auth other digest alice:wrong
    get other /d-acl/private
    auth other digest alice:secret
    get other /d-acl/private
    set other /d-acl/private q 0
    whoami other
    setAcl owner /d-acl/ro digestpw:bob:pw=rw,world:anyone=r 0
    getAcl owner /d-acl/ro
    set owner /d-acl/ro q -1
    delete owner /d-acl/ro -1
    delete owner /d-acl/private -1
    delete owner /d-acl/mine -1
    delete owner /d-acl -1
    close owner
    close other
  `),
  sc('removeWatches and checkWatches', `
    connect a
    connect w
    create a /d-rw x PERSISTENT
    create a /d-rw/c x PERSISTENT
    raw w checkWatches /d-rw 2
    raw w checkWatches /d-rw 3
    raw w removeWatches /d-rw 3
    raw w checkWatches /d-none 3
    get w /d-rw watch
    raw w checkWatches /d-rw 2
    raw w checkWatches /d-rw 1
    raw w checkWatches /d-rw 3
    raw w removeWatches /d-rw 1
    ls w /d-rw watch
    raw w checkWatches /d-rw 1
    removeWatches w /d-rw Children
    events w
    set a /d-rw y -1
    events w
    get w /d-rw watch
    removeWatches w /d-rw Data
    removeWatches w /d-rw Data
    events w
    set a /d-rw z -1
    get w /d-rw watch
    ls w /d-rw watch
    removeAllWatches w /d-rw Any
    events w
    create a /d-rw/d x PERSISTENT
    set a /d-rw zz -1
    events w
    addWatch w /d-rw PERSISTENT
    raw w checkWatches /d-rw 2
    raw w checkWatches /d-rw 1
    set a /d-rw p -1
    events w
    raw w removeWatches /d-rw 3
    set a /d-rw pp -1
    events w
    addWatch w /d-rw PERSISTENT_RECURSIVE
    raw w checkWatches /d-rw 3
    raw w removeWatches /d-rw 3
    raw w removeWatches /d-rw 3
    set a /d-rw/c q -1
    events w
    delete a /d-rw/c -1
    delete a /d-rw/d -1
    delete a /d-rw -1
    close a
    close w
  `),
  sc('/zookeeper tree and the root', `
    connect a
    ls a /zookeeper
    get a /zookeeper
    ls a /zookeeper/quota
    get a /zookeeper/config
    getAcl a /zookeeper
    getAcl a /zookeeper/config
    getAcl a /
    exists a /zookeeper/quota
    create a /zookeeper/x x PERSISTENT
    set a /zookeeper x -1
    delete a /zookeeper/quota -1
    delete a /zookeeper -1
    whoami a
    close a
  `),
  sc('containers', `
    connect a
    connect w
    create2 a /d-ctr x CONTAINER
    create a /d-ctr/c x PERSISTENT
    create a /d-ctr/e x EPHEMERAL
    get a /d-ctr
    create a /d-ctr/c/s- x PERSISTENT_SEQUENTIAL
    ls w /d-ctr watch
    delete a /d-ctr/e -1
    events w
    delete a /d-ctr/c/s-0000000000 -1
    delete a /d-ctr/c -1
    delete a /d-ctr -1
    close a
    close w
  `),
  sc('watch delivery to several sessions', `
    connect a
    connect w1
    connect w2
    create a /d-many x PERSISTENT
    get w1 /d-many watch
    get w2 /d-many watch
    ls w1 /d-many watch
    addWatch w2 /d-many PERSISTENT_RECURSIVE
    create a /d-many/c x PERSISTENT
    set a /d-many y -1
    events w1
    events w2
    set a /d-many/c z -1
    delete a /d-many/c -1
    events w1
    events w2
    delete a /d-many -1
    events w1
    events w2
    close a
    close w1
    close w2
  `),
];
