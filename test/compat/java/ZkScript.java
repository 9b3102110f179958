// Runs ZooKeeper operations with the real Apache ZooKeeper Java client, one command per stdin line,
// and answers each with exactly one JSON line on stdout. The compat and differential suites drive
// it (test/compat/java-client.ts): the same script against Apache ZooKeeper and watchkeeper.
//
// Usage: java ZkScript name=host:port [name=host:port ...]   (the first address is the default)
// Command lines: OP SESSION ARGS...; see the switch in run() for the list.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;

public final class ZkScript {
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, Session> sessions = new HashMap<>();
    /** Session id to script name, so stats show "s1" instead of a server-chosen id. */
    private final Map<Long, String> names = new HashMap<>();

    public static void main(String[] args) throws Exception {
        ZkScript z = new ZkScript();
        for (String a : args) z.addresses.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            List<String> t = Specs.tokenize(line);
            if (t.isEmpty()) continue;
            if (t.get(0).equals("quit")) break;
            System.out.println(Json.write(z.safeRun(t)));
            System.out.flush();
        }
        for (Session s : z.sessions.values()) s.zk.close(2000);
        System.exit(0);
    }

    private Json.Obj safeRun(List<String> t) {
        Json.Obj out = Json.obj().with("op", t.get(0));
        if (t.size() > 1) out.with("s", t.get(1));
        try {
            run(t, out);
            if (!out.containsKey("rc")) out.put("rc", 0);
        } catch (KeeperException e) {
            out.put("rc", e.code().intValue());
            if (e.getResults() != null) out.put("results", results(e.getResults()));
        } catch (IllegalArgumentException e) {
            // The Java client refuses some arguments (e.g. invalid paths) before sending anything.
            out.put("rc", "client:" + e.getClass().getSimpleName());
        } catch (Exception e) {
            out.with("rc", "exception").with("error", e.toString());
        }
        return out;
    }

    private Session s(List<String> t) {
        Session s = sessions.get(t.get(1));
        if (s == null) throw new IllegalStateException("no session " + t.get(1));
        return s;
    }

    private static int intArg(List<String> t, int i, int dflt) {
        return t.size() > i ? Integer.parseInt(t.get(i)) : dflt;
    }

    private static boolean watchArg(List<String> t, int i) {
        return t.size() > i && t.get(i).equals("watch");
    }

    private void run(List<String> t, Json.Obj out) throws Exception {
        String op = t.get(0);
        switch (op) {
            case "connect": connect(t, out); break;
            case "close": close(t); break;
            case "auth": s(t).zk.addAuthInfo(t.get(2), t.get(3).getBytes(StandardCharsets.UTF_8)); break;
            case "create": out.put("path", s(t).zk.create(t.get(2), Specs.data(t.get(3)), Specs.acl(t.size() > 5 ? t.get(5) : "open"), Specs.mode(t.get(4)))); break;
            case "create2": create2(t, out); break;
            case "delete": s(t).zk.delete(t.get(2), Integer.parseInt(t.get(3))); break;
            case "exists": out.put("stat", stat(s(t).zk.exists(t.get(2), watchArg(t, 3)))); break;
            case "get": get(t, out); break;
            case "set": out.put("stat", stat(s(t).zk.setData(t.get(2), Specs.data(t.get(3)), Integer.parseInt(t.get(4))))); break;
            case "ls": ls(t, out); break;
            case "ls1": out.put("children", sorted(s(t).zk.getChildren(t.get(2), watchArg(t, 3)))); break;
            case "getAcl": getAcl(t, out); break;
            case "setAcl": out.put("stat", stat(s(t).zk.setACL(t.get(2), Specs.acl(t.get(3)), Integer.parseInt(t.get(4))))); break;
            case "sync": sync(t, out); break;
            case "multi": multi(t, out); break;
            case "addWatch": s(t).zk.addWatch(t.get(2), Specs.watchMode(t.get(3))); break;
            case "removeWatches": s(t).zk.removeWatches(t.get(2), s(t), Specs.watcherType(t.get(3)), watchArg(t, 4)); break;
            case "removeAllWatches": s(t).zk.removeAllWatches(t.get(2), Specs.watcherType(t.get(3)), false); break;
            case "ephemerals": out.put("paths", sorted(t.size() > 2 ? s(t).zk.getEphemerals(t.get(2)) : s(t).zk.getEphemerals())); break;
            case "count": out.put("count", s(t).zk.getAllChildrenNumber(t.get(2))); break;
            case "whoami": whoami(t, out); break;
            case "events": s(t).barrier(); out.put("events", events(s(t).drain())); break;
            case "waitEvents": waitEvents(t, out); break;
            case "waitState": out.put("ok", s(t).awaitState(Watcher.Event.KeeperState.valueOf(t.get(2)), intArg(t, 3, 20000))); break;
            case "state": out.with("state", s(t).stateName()).with("zkState", s(t).zk.getState().name()); break;
            case "sleep": Thread.sleep(Long.parseLong(t.get(1))); break;
            case "raw": Raw.run(s(t).zk, t, out); break;
            case "bulkCreate": bulk(t, out, false); break;
            case "bulkWatch": bulk(t, out, true); break;
            default: throw new IllegalStateException("unknown command " + op);
        }
    }

    private void connect(List<String> t, Json.Obj out) throws Exception {
        String name = t.get(1);
        String addrName = t.size() > 2 ? t.get(2) : addresses.keySet().iterator().next();
        Session s = new Session(name);
        s.zk = new ZooKeeper(addresses.get(addrName), intArg(t, 3, 10000), s);
        if (!s.awaitState(Watcher.Event.KeeperState.SyncConnected, 20000)) throw new IllegalStateException("connect timed out");
        sessions.put(name, s);
        names.put(s.zk.getSessionId(), name);
        out.put("timeout", s.zk.getSessionTimeout());
    }

    private void close(List<String> t) throws InterruptedException {
        Session s = sessions.remove(t.get(1));
        if (s != null) s.zk.close();
    }

    private void create2(List<String> t, Json.Obj out) throws Exception {
        Stat st = new Stat();
        out.put("path", s(t).zk.create(t.get(2), Specs.data(t.get(3)), Specs.acl(t.size() > 5 ? t.get(5) : "open"), Specs.mode(t.get(4)), st));
        out.put("stat", stat(st));
    }

    private void get(List<String> t, Json.Obj out) throws Exception {
        Stat st = new Stat();
        out.put("data", Specs.text(s(t).zk.getData(t.get(2), watchArg(t, 3), st)));
        out.put("stat", stat(st));
    }

    private void ls(List<String> t, Json.Obj out) throws Exception {
        Stat st = new Stat();
        out.put("children", sorted(s(t).zk.getChildren(t.get(2), watchArg(t, 3), st)));
        out.put("stat", stat(st));
    }

    private void getAcl(List<String> t, Json.Obj out) throws Exception {
        Stat st = new Stat();
        out.put("acl", Specs.aclList(s(t).zk.getACL(t.get(2), st)));
        out.put("stat", stat(st));
    }

    private void sync(List<String> t, Json.Obj out) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger rc = new AtomicInteger();
        s(t).zk.sync(t.get(2), (code, path, ctx) -> { rc.set(code); done.countDown(); }, null);
        done.await(20, TimeUnit.SECONDS);
        out.put("rc", rc.get());
    }

    private void multi(List<String> t, Json.Obj out) throws Exception {
        List<org.apache.zookeeper.Op> ops = new ArrayList<>();
        for (List<String> one : Specs.ops(t.subList(2, t.size()))) ops.add(Specs.op(one));
        out.put("results", results(s(t).zk.multi(ops)));
    }

    private void whoami(List<String> t, Json.Obj out) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (org.apache.zookeeper.data.ClientInfo ci : s(t).zk.whoAmI()) ids.add(ci.getAuthScheme() + ":" + ci.getUser());
        out.put("ids", sorted(ids));
    }

    private void waitEvents(List<String> t, Json.Obj out) throws InterruptedException {
        out.put("complete", s(t).awaitEventCount(Integer.parseInt(t.get(2)), intArg(t, 3, 20000)));
        out.put("events", events(s(t).drain()));
    }

    /** Issues N async requests at once: bulkCreate PREFIX N, or bulkWatch PREFIX N data|exists|child [SUFFIX]. */
    private void bulk(List<String> t, Json.Obj out, boolean watch) throws Exception {
        ZooKeeper zk = s(t).zk;
        int n = Integer.parseInt(t.get(3));
        CountDownLatch done = new CountDownLatch(n);
        Map<Integer, Integer> codes = new java.util.concurrent.ConcurrentHashMap<>();
        for (int i = 0; i < n; i++) {
            String path = t.get(2) + "/" + i + (t.size() > 5 ? t.get(5) : "");
            if (!watch) {
                zk.create(path, new byte[0], Specs.acl("open"), Specs.mode("PERSISTENT"), (rc, p, c, name) -> { codes.merge(rc, 1, Integer::sum); done.countDown(); }, null);
            } else if (t.get(4).equals("data")) {
                zk.getData(path, true, (rc, p, c, d, st) -> { codes.merge(rc, 1, Integer::sum); done.countDown(); }, null);
            } else if (t.get(4).equals("exists")) {
                zk.exists(path, true, (rc, p, c, st) -> { codes.merge(rc, 1, Integer::sum); done.countDown(); }, null);
            } else {
                zk.getChildren(path, true, (rc, p, c, ch) -> { codes.merge(rc, 1, Integer::sum); done.countDown(); }, null);
            }
        }
        out.put("complete", done.await(60, TimeUnit.SECONDS));
        Json.Obj byCode = Json.obj();
        for (Map.Entry<Integer, Integer> e : new java.util.TreeMap<>(codes).entrySet()) byCode.put(String.valueOf(e.getKey()), e.getValue());
        out.put("codes", byCode);
    }

    private Json.Obj stat(Stat st) {
        return Specs.stat(st, names);
    }

    private static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        java.util.Collections.sort(c);
        return c;
    }

    private List<Object> events(List<WatchedEvent> evs) {
        List<Object> out = new ArrayList<>();
        for (WatchedEvent e : evs) out.add(Specs.event(e));
        return out;
    }

    private List<Object> results(List<OpResult> rs) {
        List<Object> out = new ArrayList<>();
        for (OpResult r : rs) out.add(result(r));
        return out;
    }

    private Json.Obj result(OpResult r) {
        Json.Obj o = Json.obj().with("type", r.getClass().getSimpleName());
        if (r instanceof OpResult.ErrorResult) o.put("rc", ((OpResult.ErrorResult) r).getErr());
        if (r instanceof OpResult.CreateResult) {
            o.put("path", ((OpResult.CreateResult) r).getPath());
            if (((OpResult.CreateResult) r).getStat() != null) o.put("stat", stat(((OpResult.CreateResult) r).getStat()));
        }
        if (r instanceof OpResult.SetDataResult) o.put("stat", stat(((OpResult.SetDataResult) r).getStat()));
        return o;
    }
}
