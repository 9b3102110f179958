// Requests sent as-is through the client's connection, skipping the Java client's own argument
// checks (it refuses invalid paths locally, and merges its local watch table into removeWatches
// results), so the script can show what the *server* answers.
//   raw SESSION OP PATH [ARG]   OP: exists getData getChildren create delete setData getACL sync
//                                   checkWatches removeWatches addWatch   ARG: flags/version/type/mode
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.List;
import org.apache.jute.Record;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.proto.*;

final class Raw {
    private Raw() {}

    static void run(ZooKeeper zk, List<String> t, Json.Obj out) throws Exception {
        String op = t.get(2);
        String path = t.get(3);
        int arg = t.size() > 4 ? Integer.parseInt(t.get(4)) : -1;
        RequestHeader h = new RequestHeader();
        h.setType(opcode(op));
        ReplyHeader r = submit(zk, h, request(op, path, arg));
        out.put("rc", r.getErr());
    }

    private static int opcode(String op) {
        switch (op) {
            case "exists": return ZooDefs.OpCode.exists;
            case "getData": return ZooDefs.OpCode.getData;
            case "getChildren": return ZooDefs.OpCode.getChildren;
            case "create": return ZooDefs.OpCode.create;
            case "delete": return ZooDefs.OpCode.delete;
            case "setData": return ZooDefs.OpCode.setData;
            case "getACL": return ZooDefs.OpCode.getACL;
            case "sync": return ZooDefs.OpCode.sync;
            case "checkWatches": return ZooDefs.OpCode.checkWatches;
            case "removeWatches": return ZooDefs.OpCode.removeWatches;
            case "addWatch": return ZooDefs.OpCode.addWatch;
            default: throw new IllegalArgumentException("raw op " + op);
        }
    }

    private static Record request(String op, String path, int arg) {
        switch (op) {
            case "exists": return new ExistsRequest(path, false);
            case "getData": return new GetDataRequest(path, false);
            case "getChildren": return new GetChildrenRequest(path, false);
            case "create": return new CreateRequest(path, new byte[] {'x'}, ZooDefs.Ids.OPEN_ACL_UNSAFE, Math.max(arg, 0));
            case "delete": return new DeleteRequest(path, arg);
            case "setData": return new SetDataRequest(path, new byte[] {'y'}, arg);
            case "getACL": return new GetACLRequest(path);
            case "sync": return new SyncRequest(path);
            case "checkWatches": return new CheckWatchesRequest(path, arg);
            case "removeWatches": return new RemoveWatchesRequest(path, arg);
            default: return new AddWatchRequest(path, arg);
        }
    }

    /** ClientCnxn.submitRequest(header, request, response = null, watchRegistration = null). */
    private static ReplyHeader submit(ZooKeeper zk, RequestHeader h, Record req) throws Exception {
        Field f = ZooKeeper.class.getDeclaredField("cnxn");
        f.setAccessible(true);
        Object cnxn = f.get(zk);
        for (Method m : cnxn.getClass().getMethods()) {
            if (m.getName().equals("submitRequest") && m.getParameterCount() == 4) {
                return (ReplyHeader) m.invoke(cnxn, h, req, null, null);
            }
        }
        throw new IllegalStateException("ClientCnxn.submitRequest not found");
    }
}
