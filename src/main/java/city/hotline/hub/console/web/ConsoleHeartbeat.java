package city.hotline.hub.console.web;

import java.util.List;

import city.hotline.hub.store.claim.ClaimComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Route {@code console-heartbeat} (routes/console.yaml): this instance writes which leader-only poll
 * routes ({@code *-poll}) it is running, so the channels page on any instance shows who holds each
 * poller. The instance id is the one its outbox claims carry ({@code hub.cluster.node-id}).
 */
@Component("consoleHeartbeat")
public class ConsoleHeartbeat {

    private final JdbcTemplate jdbc;
    private final CamelContext camel;
    private final String nodeId;

    public ConsoleHeartbeat(JdbcTemplate jdbc, CamelContext camel, @Qualifier("claim") ClaimComponent claim) {
        this.jdbc = jdbc;
        this.camel = camel;
        this.nodeId = claim.getOwner();
    }

    public void beat() {
        List<String> pollers = camel.getRoutes().stream().map(Route::getRouteId).filter(id -> id.endsWith("-poll"))
                .filter(id -> camel.getRouteController().getRouteStatus(id) == ServiceStatus.Started).sorted().toList();
        jdbc.update("""
                INSERT INTO console_instance (node_id, pollers, seen_at) VALUES (?, ?, now())
                ON CONFLICT (node_id) DO UPDATE SET pollers = excluded.pollers, seen_at = now()""",
                nodeId, pollers.toArray(new String[0]));
    }
}
