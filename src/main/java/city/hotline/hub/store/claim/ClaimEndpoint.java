package city.hotline.hub.store.claim;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code claim:<store bean>}: one consumer of a claimed table. With {@code batchSize} 1 the body of
 * each exchange is one row (a column map); with more, a list of rows handled together.
 */
@UriEndpoint(scheme = "claim", title = "Claimed table rows", syntax = "claim:source", consumerOnly = true,
        category = {org.apache.camel.Category.DATABASE})
public class ClaimEndpoint extends DefaultEndpoint {

    @UriPath(description = "Name of the ClaimSource bean (the store of the table)")
    @Metadata(required = true)
    private final String source;
    @UriParam(description = "Store-specific filter, such as the reply outbox's channel")
    private String lane;
    @UriParam(defaultValue = "1", description = "Rows per exchange")
    private int batchSize = 1;
    @UriParam(defaultValue = "1", description = "Exchanges in flight at once (threads)")
    private int concurrency = 1;
    @UriParam(description = "Fallback poll in milliseconds")
    private long pollDelay;

    public ClaimEndpoint(String uri, ClaimComponent component, String source) {
        super(uri, component);
        this.source = source;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("claim: endpoints only consume");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        ClaimSource claimSource = getCamelContext().getRegistry().lookupByNameAndType(source, ClaimSource.class);
        if (claimSource == null) {
            throw new IllegalArgumentException("claim:" + source + ": no ClaimSource bean named '" + source + "'");
        }
        if (batchSize < 1 || concurrency < 1) {
            throw new IllegalArgumentException("claim:" + source + ": batchSize and concurrency must be at least 1");
        }
        ClaimConsumer consumer = new ClaimConsumer(this, processor, claimSource);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public ClaimComponent getComponent() {
        return (ClaimComponent) super.getComponent();
    }

    /** A readable name for threads and logs: {@code inbox}, {@code replyDelivery-webform}. */
    public String displayName() {
        String table = source.endsWith("Store") ? source.substring(0, source.length() - "Store".length()) : source;
        return lane == null ? table : table + "-" + lane;
    }

    public String getSource() {
        return source;
    }

    public String getLane() {
        return lane;
    }

    public void setLane(String lane) {
        this.lane = lane;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public int getConcurrency() {
        return concurrency;
    }

    public void setConcurrency(int concurrency) {
        this.concurrency = concurrency;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }
}
