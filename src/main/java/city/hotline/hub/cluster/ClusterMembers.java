package city.hotline.hub.cluster;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parsed {@code hub.cluster.members} list, checked so that a wrong configuration stops the
 * start-up with a message that names the entry, instead of an instance that silently forms a
 * cluster of its own and polls next to the others.
 */
public record ClusterMembers(Member self, List<Member> all) {

    public record Member(String nodeId, String host, int port) {
        public String hostPort() {
            return host + ":" + port;
        }
    }

    // nodeId@host:port; host is a name, an IPv4 address or a bracketed IPv6 address
    private static final Pattern ENTRY = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)@(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})");

    public static ClusterMembers parse(String nodeId, String members) {
        if (nodeId == null || nodeId.isBlank()) {
            throw new IllegalStateException("hub.cluster.enabled=true needs hub.cluster.node-id (this instance's entry in hub.cluster.members)");
        }
        if (members == null || members.isBlank()) {
            throw new IllegalStateException("hub.cluster.enabled=true needs hub.cluster.members as nodeId@host:port,... (this node included)");
        }
        List<Member> all = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (String raw : members.split(",")) {
            String entry = raw.strip();
            Matcher m = ENTRY.matcher(entry);
            if (!m.matches()) {
                throw new IllegalStateException("hub.cluster.members: '" + entry + "' is not nodeId@host:port (e.g. hub-a@10.0.0.5:7800)");
            }
            int port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new IllegalStateException("hub.cluster.members: '" + entry + "' has port " + port + ", outside 1-65535");
            }
            String host = m.group(2).startsWith("[") ? m.group(2).substring(1, m.group(2).length() - 1) : m.group(2);
            Member member = new Member(m.group(1), host, port);
            if (!ids.add(member.nodeId())) {
                throw new IllegalStateException("hub.cluster.members: node id '" + member.nodeId() + "' appears twice");
            }
            if (!addresses.add(member.hostPort())) {
                throw new IllegalStateException("hub.cluster.members: " + member.hostPort() + " appears twice");
            }
            all.add(member);
        }
        Member self = all.stream().filter(x -> x.nodeId().equals(nodeId.strip())).findFirst()
                .orElseThrow(() -> new IllegalStateException("hub.cluster.node-id '" + nodeId.strip()
                        + "' is not in hub.cluster.members " + ids + ": list every instance, this one included"));
        return new ClusterMembers(self, List.copyOf(all));
    }
}
