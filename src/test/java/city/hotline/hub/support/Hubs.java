package city.hotline.hub.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Several hub processes on one {@link SharedServices}: {@code hubs.start("a", extraArgs...)} starts
 * instance {@code a} with the shared database and broker, the arguments common to all instances and
 * its own data directory. With {@link #clustered(String...)} every named instance also gets
 * {@code hub.cluster.*}: the members list is fixed up front (one free loopback port per name) so
 * any instance can be started, killed and started again in any order.
 */
public final class Hubs implements AutoCloseable {

    private final SharedServices shared;
    private final List<String> common = new ArrayList<>();
    private final Map<String, Integer> clusterPorts = new LinkedHashMap<>();
    private final Map<String, HubProcess> running = new LinkedHashMap<>();

    public Hubs(SharedServices shared, String... commonArgs) {
        this.shared = shared;
        this.common.addAll(Arrays.asList(commonArgs));
    }

    /** Instances with these names form one cluster (hub.cluster.enabled=true). */
    public Hubs clustered(String... names) throws Exception {
        for (String name : names) {
            int port;
            do {
                port = freeClusterPort();
            } while (clashes(port));
            clusterPorts.put(name, port);
        }
        return this;
    }

    public HubProcess start(String name, String... extraArgs) throws Exception {
        if (running.containsKey(name)) {
            throw new IllegalStateException("hub " + name + " is running already");
        }
        List<String> args = new ArrayList<>(Arrays.asList(shared.hubArgs()));
        args.addAll(common);
        if (clusterPorts.containsKey(name)) {
            args.add("--hub.cluster.enabled=true");
            args.add("--hub.cluster.node-id=" + name);
            args.add("--hub.cluster.members=" + clusterPorts.entrySet().stream()
                    .map(e -> e.getKey() + "@127.0.0.1:" + e.getValue()).collect(Collectors.joining(",")));
        }
        args.addAll(Arrays.asList(extraArgs));
        HubProcess hub = HubProcess.start(TestDataDirs.fresh("hub-" + name), "hub-" + name, args.toArray(String[]::new));
        running.put(name, hub);
        return hub;
    }

    public HubProcess get(String name) {
        HubProcess hub = running.get(name);
        if (hub == null) {
            throw new IllegalStateException("hub " + name + " is not running");
        }
        return hub;
    }

    /** SIGKILL, as a crash would. */
    public void kill(String name) throws InterruptedException {
        HubProcess hub = running.remove(name);
        if (hub != null) {
            hub.killHard();
        }
    }

    public Map<String, HubProcess> running() {
        return Map.copyOf(running);
    }

    @Override
    public void close() throws InterruptedException {
        for (HubProcess hub : running.values()) {
            hub.killHard();
        }
        running.clear();
    }

    /** Each member uses its port and port + 100: no two members may share either. */
    private boolean clashes(int port) {
        return clusterPorts.values().stream().anyMatch(p -> p == port || p == port + 100 || p + 100 == port);
    }

    /** A free port whose +100 (JGroups FD_SOCK2) is free too. */
    private static int freeClusterPort() throws Exception {
        for (int i = 0; i < 50; i++) {
            int port = SharedServices.freePort();
            if (port + 100 <= 65535) {
                try (java.net.ServerSocket s = new java.net.ServerSocket(port + 100)) {
                    return port;
                } catch (java.io.IOException taken) {
                    // try another
                }
            }
        }
        throw new IllegalStateException("no free port pair for JGroups");
    }
}
