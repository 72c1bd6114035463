package city.hotline.hub.cluster;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Receiver;
import org.jgroups.View;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Camel cluster service whose leader is the coordinator of the JGroups view: the oldest live
 * member, the same on every member because every member installs the same view.
 *
 * <p>Written here because neither library ships what the issue asked for any more: camel-jgroups
 * 4.17 no longer contains {@code JGroupsLockClusterService}, and JGroups 5.5 (the version Camel 4.17
 * uses) no longer has the lock protocols ({@code CENTRAL_LOCK}) it was built on. The coordinator of
 * the view is JGroups' own way to run a singleton; it needs no majority, so the one instance left of
 * two keeps leading (which is why Raft was ruled out). This class only maps JGroups views onto
 * Camel's cluster SPI; election, membership and failure detection are JGroups'.
 *
 * <p>One channel serves every namespace: all polled routes follow the same leader.
 */
public class CoordinatorClusterService extends AbstractCamelClusterService<CoordinatorClusterService.CoordinatorView> {

    private static final Logger LOG = LoggerFactory.getLogger(CoordinatorClusterService.class);
    static final String CLUSTER_NAME = "hotline-hub";

    private final ClusterMembers members;
    private final List<CoordinatorView> views = new CopyOnWriteArrayList<>();
    private volatile JChannel channel;
    private volatile View current;
    // leadership events leave the JGroups thread at once (routes start and stop on them), in order
    private ExecutorService events;

    public CoordinatorClusterService(ClusterMembers members) {
        super(members.self().nodeId());
        this.members = members;
    }

    @Override
    protected void doStart() throws Exception {
        events = Executors.newSingleThreadExecutor(r -> new Thread(r, "hub-cluster-events"));
        channel = JGroupsStack.channel(members);
        channel.setReceiver(new Receiver() {
            @Override
            public void viewAccepted(View view) {
                onView(view);
            }
        });
        LOG.info("Joining cluster {} as {} on {} (members {})", CLUSTER_NAME, members.self().nodeId(), members.self().hostPort(),
                members.all().stream().map(ClusterMembers.Member::nodeId).toList());
        channel.connect(CLUSTER_NAME);
        onView(channel.getView());
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        JChannel c = channel;
        channel = null;
        current = null;
        if (c != null) {
            c.close(); // leaves the view: another member becomes coordinator without waiting for failure detection
        }
        if (events != null) {
            events.shutdown();
            events.awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private synchronized void onView(View view) {
        if (view == null || Objects.equals(view, current)) {
            return;
        }
        View previous = current;
        current = view;
        LOG.info("Cluster view {}: coordinator (runs the pollers) is {}{}", view.getMembers(), view.getCoord(),
                isLocalLeader() ? " (this instance)" : "");
        for (CoordinatorView v : views) {
            events.execute(() -> v.changed(previous, view));
        }
    }

    boolean isLocalLeader() {
        View v = current;
        JChannel c = channel;
        return v != null && c != null && Objects.equals(v.getCoord(), c.getAddress());
    }

    /** The node id of the current leader, if this instance is in a view. */
    public Optional<String> leaderId() {
        View v = current;
        return v == null ? Optional.empty() : Optional.of(String.valueOf(v.getCoord()));
    }

    public List<String> memberIds() {
        View v = current;
        return v == null ? List.of() : v.getMembers().stream().map(String::valueOf).toList();
    }

    public String localId() {
        return members.self().nodeId();
    }

    @Override
    protected CoordinatorView createView(String namespace) {
        CoordinatorView view = new CoordinatorView(namespace);
        views.add(view);
        return view;
    }

    /** A namespace's view of the one JGroups cluster. */
    public final class CoordinatorView extends AbstractCamelClusterView {

        private final CamelClusterMember local = new Member(null);

        CoordinatorView(String namespace) {
            super(CoordinatorClusterService.this, namespace);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            View v = current;
            if (v == null) {
                return Optional.empty();
            }
            return Optional.of(isLocalLeader() ? local : new Member(v.getCoord()));
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            View v = current;
            JChannel c = channel;
            if (v == null) {
                return List.of(local);
            }
            return v.getMembers().stream()
                    .map(a -> c != null && a.equals(c.getAddress()) ? local : (CamelClusterMember) new Member(a)).toList();
        }

        @Override
        protected void doStart() {
            fireLeadershipChangedEvent(getLeader().orElse(null));
        }

        @Override
        protected void doStop() {
            fireLeadershipChangedEvent((CamelClusterMember) null);
        }

        void changed(View previous, View next) {
            if (!isRunAllowed()) {
                return;
            }
            if (previous != null) {
                for (Address gone : View.leftMembers(previous, next)) {
                    fireMemberRemovedEvent(new Member(gone));
                }
            }
            for (Address added : previous == null ? next.getMembers() : View.newMembers(previous, next)) {
                fireMemberAddedEvent(new Member(added));
            }
            if (previous == null || !Objects.equals(previous.getCoord(), next.getCoord())) {
                fireLeadershipChangedEvent(getLeader().orElse(null));
            }
        }

        /** A member by its JGroups address, whose name is the node id; null: this instance. */
        private final class Member implements CamelClusterMember {
            private final Address address;

            Member(Address address) {
                this.address = address;
            }

            @Override
            public boolean isLeader() {
                return address == null ? isLocalLeader() : Objects.equals(address, current == null ? null : current.getCoord());
            }

            @Override
            public boolean isLocal() {
                return address == null;
            }

            @Override
            public String getId() {
                return address == null ? localId() : String.valueOf(address);
            }
        }
    }
}
