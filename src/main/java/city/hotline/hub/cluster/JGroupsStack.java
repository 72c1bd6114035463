package city.hotline.hub.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

import org.jgroups.JChannel;

/**
 * Builds this node's JGroups channel from {@code classpath:cluster/jgroups-tcp.xml} and the members
 * list: TCP bound to the node's own host and port, TCPPING with every member as initial host. The
 * values go into the XML before JGroups reads it, rather than through JGroups' system-property
 * placeholders, so that nothing JVM-wide is set and the configuration stays the hub's three properties.
 */
final class JGroupsStack {

    static final String CONFIG = "/cluster/jgroups-tcp.xml";

    private JGroupsStack() {
    }

    static String xml(ClusterMembers members) {
        String template;
        try (InputStream in = JGroupsStack.class.getResourceAsStream(CONFIG)) {
            if (in == null) {
                throw new IllegalStateException("missing " + CONFIG);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String initialHosts = members.all().stream().map(m -> m.host() + "[" + m.port() + "]").collect(Collectors.joining(","));
        return template.replace("{bind_addr}", members.self().host())
                .replace("{bind_port}", String.valueOf(members.self().port()))
                .replace("{initial_hosts}", initialHosts);
    }

    /** A channel named after the node id, so views and logs show hub-a, hub-b rather than host names. */
    static JChannel channel(ClusterMembers members) throws Exception {
        JChannel channel = new JChannel(new ByteArrayInputStream(xml(members).getBytes(StandardCharsets.UTF_8)));
        channel.name(members.self().nodeId());
        return channel;
    }
}
