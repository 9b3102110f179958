// Parsing of the script language's arguments (modes, ACLs, multi ops) and formatting of ZooKeeper
// records (Stat, ACL, WatchedEvent) into JSON values. Session ids are shown as session names so
// that two servers' outputs can be compared.
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

final class Specs {
    private Specs() {}

    /** Splits a line on blanks; "double quoted" tokens keep blanks and take \" \\ \n escapes. */
    static List<String> tokenize(String line) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < line.length() && line.charAt(i) != '"') {
                    char d = line.charAt(i++);
                    if (d == '\\' && i < line.length()) {
                        char e = line.charAt(i++);
                        sb.append(e == 'n' ? '\n' : e);
                    } else {
                        sb.append(d);
                    }
                }
                i++;
                out.add(sb.toString());
            } else {
                int start = i;
                while (i < line.length() && !Character.isWhitespace(line.charAt(i))) i++;
                out.add(line.substring(start, i));
            }
        }
        return out;
    }

    /** "~" stands for null data. */
    static byte[] data(String token) {
        return token.equals("~") ? null : token.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] data) {
        return data == null ? null : new String(data, StandardCharsets.UTF_8);
    }

    static CreateMode mode(String name) {
        return CreateMode.valueOf(name);
    }

    static AddWatchMode watchMode(String name) {
        return AddWatchMode.valueOf(name);
    }

    static Watcher.WatcherType watcherType(String name) {
        return Watcher.WatcherType.valueOf(name);
    }

    /** "open", "creator", "read", or a comma list of scheme:id=perms; digestpw:user:pw hashes pw. */
    static List<ACL> acl(String spec) throws NoSuchAlgorithmException {
        switch (spec) {
            case "open": return ZooDefs.Ids.OPEN_ACL_UNSAFE;
            case "creator": return ZooDefs.Ids.CREATOR_ALL_ACL;
            case "read": return ZooDefs.Ids.READ_ACL_UNSAFE;
            default: break;
        }
        List<ACL> out = new ArrayList<>();
        for (String one : spec.split(",")) {
            int eq = one.lastIndexOf('=');
            int colon = one.indexOf(':');
            String scheme = one.substring(0, colon);
            String id = one.substring(colon + 1, eq);
            if (scheme.equals("digestpw")) {
                scheme = "digest";
                id = DigestAuthenticationProvider.generateDigest(id);
            }
            out.add(new ACL(perms(one.substring(eq + 1)), new Id(scheme, id)));
        }
        return out;
    }

    private static final String LETTERS = "rwcda";

    static int perms(String letters) {
        int p = 0;
        for (char c : letters.toCharArray()) p |= 1 << LETTERS.indexOf(c);
        return p;
    }

    static String permLetters(int p) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < LETTERS.length(); i++) if ((p & (1 << i)) != 0) sb.append(LETTERS.charAt(i));
        return sb.toString();
    }

    static List<String> aclList(List<ACL> acls) {
        List<String> out = new ArrayList<>();
        for (ACL a : acls) out.add(a.getId().getScheme() + ":" + a.getId().getId() + "=" + permLetters(a.getPerms()));
        return out;
    }

    static Json.Obj stat(Stat s, Map<Long, String> sessions) {
        if (s == null) return null;
        long owner = s.getEphemeralOwner();
        Object ownerName = owner == 0 ? (Object) 0 : sessions.getOrDefault(owner, "0x" + Long.toHexString(owner));
        return Json.obj()
            .with("czxid", s.getCzxid()).with("mzxid", s.getMzxid()).with("pzxid", s.getPzxid())
            .with("ctime", s.getCtime()).with("mtime", s.getMtime())
            .with("version", s.getVersion()).with("cversion", s.getCversion()).with("aversion", s.getAversion())
            .with("ephemeralOwner", ownerName).with("dataLength", s.getDataLength())
            .with("numChildren", s.getNumChildren());
    }

    static Json.Obj event(WatchedEvent e) {
        return Json.obj().with("type", e.getType().name()).with("state", e.getState().name()).with("path", e.getPath());
    }

    /** One multi op: create PATH DATA MODE [ACL] | delete PATH VER | set PATH DATA VER | check PATH VER. */
    static Op op(List<String> t) throws NoSuchAlgorithmException {
        switch (t.get(0)) {
            case "create":
                return Op.create(t.get(1), data(t.get(2)), acl(t.size() > 4 ? t.get(4) : "open"), mode(t.get(3)));
            case "delete":
                return Op.delete(t.get(1), Integer.parseInt(t.get(2)));
            case "set":
                return Op.setData(t.get(1), data(t.get(2)), Integer.parseInt(t.get(3)));
            case "check":
                return Op.check(t.get(1), Integer.parseInt(t.get(2)));
            default:
                throw new IllegalArgumentException("unknown multi op " + t.get(0));
        }
    }

    /** Splits "a b | c d | e" into op token lists. */
    static List<List<String>> ops(List<String> tokens) {
        List<List<String>> out = new ArrayList<>();
        List<String> cur = new ArrayList<>();
        for (String tok : tokens) {
            if (tok.equals("|")) {
                out.add(cur);
                cur = new ArrayList<>();
            } else {
                cur.add(tok);
            }
        }
        if (!cur.isEmpty()) out.add(cur);
        return out;
    }
}
