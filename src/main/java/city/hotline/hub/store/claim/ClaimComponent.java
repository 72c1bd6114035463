package city.hotline.hub.store.claim;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code claim:} component: {@code claim:<store bean>?lane=&batchSize=&concurrency=} consumes the
 * rows of a {@link ClaimSource} table. It claims only as many rows as it can start at once, hands
 * them to its route on a pool of {@code concurrency} threads (named after the endpoint), and claims
 * again as soon as a thread is free or a new row is announced; the poll is only a fallback.
 *
 * <p>Component options are the instance's: its node id (the owner of its claims) and the lease.
 * On the first start of a consumer of a table, the instance releases the claims it left there
 * before a restart, so its own work is taken up at once rather than after the lease.
 */
@org.apache.camel.spi.annotations.Component("claim")
public class ClaimComponent extends DefaultComponent {

    @Metadata(required = true, description = "This instance's node id: the owner recorded on its claims")
    private String owner;
    @Metadata(defaultValue = "60s", description = "How long a claim holds; a crashed instance's rows are taken over after it")
    private Duration lease = Duration.ofSeconds(60);
    @Metadata(defaultValue = "1000", description = "Fallback poll in milliseconds, for when a notification is missed")
    private long pollDelay = 1000;

    private Wakeups wakeups = new Wakeups();
    private final Set<String> released = ConcurrentHashMap.newKeySet();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        ClaimEndpoint endpoint = new ClaimEndpoint(uri, this, remaining);
        endpoint.setPollDelay(pollDelay);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    /** Releases the claims this instance left in {@code source}'s table, once per table and start. */
    int releaseLeftClaims(String sourceName, ClaimSource source) {
        return released.add(sourceName) ? source.releaseAll(owner) : 0;
    }

    @Override
    protected void doStop() throws Exception {
        released.clear();
        super.doStop();
    }

    public String getOwner() {
        return owner;
    }

    public void setOwner(String owner) {
        this.owner = owner;
    }

    public Duration getLease() {
        return lease;
    }

    public void setLease(Duration lease) {
        this.lease = lease;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }

    public Wakeups getWakeups() {
        return wakeups;
    }

    public void setWakeups(Wakeups wakeups) {
        this.wakeups = wakeups;
    }
}
