package city.hotline.hub.channel.cti;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.netty.ChannelHandlerFactories;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Starts route cti-freeswitch (the event-socket client) when the vendor is freeswitch. camel-netty's
 * client consumer reconnects by itself after a lost connection (every reconnect-interval), but a first
 * connection that fails makes its route fail to start; so the first start is tried here, again and
 * again with a doubling wait (up to max-backoff), and never holds up the hub's own start.
 */
@Configuration(proxyBeanMethods = false)
public class FreeswitchConnection {

    public static final String ROUTE = "cti-freeswitch";
    private static final Logger LOG = LoggerFactory.getLogger(FreeswitchConnection.class);

    private final CtiProperties props;
    private final CamelContext camel;
    private ScheduledExecutorService timer;

    public FreeswitchConnection(CtiProperties props, CamelContext camel) {
        this.props = props;
        this.camel = camel;
    }

    @Bean("eslFrameDecoder")
    EslFrameDecoder.Factory eslFrameDecoder() {
        return new EslFrameDecoder.Factory();
    }

    @Bean("eslStringEncoder")
    ChannelHandlerFactory eslStringEncoder() {
        return ChannelHandlerFactories.newStringEncoder(java.nio.charset.StandardCharsets.UTF_8, "tcp");
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (!props.enabled() || !"freeswitch".equalsIgnoreCase(props.vendor())) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cti-freeswitch-connect");
            t.setDaemon(true);
            return t;
        });
        timer.execute(() -> attempt(Duration.ofSeconds(1)));
    }

    private void attempt(Duration wait) {
        try {
            if (camel.getRouteController().getRouteStatus(ROUTE) != ServiceStatus.Started) {
                camel.getRouteController().startRoute(ROUTE);
            }
            LOG.info("FreeSWITCH event-socket client started ({}:{})", props.freeswitch().host(), props.freeswitch().port());
        } catch (Exception e) {
            Duration max = props.freeswitch().maxBackoff() == null ? Duration.ofMinutes(1) : props.freeswitch().maxBackoff();
            Duration next = wait.multipliedBy(2).compareTo(max) > 0 ? max : wait.multipliedBy(2);
            LOG.warn("FreeSWITCH event socket {}:{} not reachable ({}); next attempt in {}", props.freeswitch().host(),
                    props.freeswitch().port(), e.getMessage(), wait);
            try {
                camel.getRouteController().stopRoute(ROUTE, 5, TimeUnit.SECONDS);
            } catch (Exception stop) {
                LOG.debug("stopping {} after a failed start: {}", ROUTE, stop.toString());
            }
            if (!timer.isShutdown()) {
                timer.schedule(() -> attempt(next), wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
