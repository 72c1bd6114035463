package city.hotline.hub.channel.cti;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import city.hotline.hub.ticket.Json;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The hub's side of FreeSWITCH's inbound event socket (route cti-freeswitch, a camel-netty TCP client):
 * answers {@code auth/request} with {@code auth <password>}, subscribes after {@code +OK accepted} with
 * {@code event plain|json CHANNEL_HANGUP_COMPLETE RECORD_STOP}, and hands each event on as JSON. A reply
 * to FreeSWITCH is the exchange's body (sync endpoint); a null body sends nothing. Also the first handler
 * of the connection's pipeline, so health shows whether the socket is connected and authenticated.
 */
@Component("eslSession")
@ChannelHandler.Sharable
public class EslSession extends ChannelInboundHandlerAdapter {

    public enum State { DISCONNECTED, CONNECTED, AUTHENTICATED, SUBSCRIBED, AUTH_REFUSED }

    /** The events the hub needs: the call record and the end of a recording. */
    static final String EVENTS = "CHANNEL_HANGUP_COMPLETE RECORD_STOP";
    private static final Logger LOG = LoggerFactory.getLogger(EslSession.class);

    private final CtiProperties props;
    private final AtomicReference<State> state = new AtomicReference<>(State.DISCONNECTED);
    private volatile Instant since = Instant.now();

    public EslSession(CtiProperties props) {
        this.props = props;
    }

    public State state() {
        return state.get();
    }

    public Instant since() {
        return since;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        move(State.CONNECTED);
        LOG.info("FreeSWITCH event socket connected to {}", ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state.get() != State.AUTH_REFUSED) {
            move(State.DISCONNECTED);
        }
        LOG.warn("FreeSWITCH event socket disconnected from {}; reconnecting", ctx.channel().remoteAddress());
        super.channelInactive(ctx);
    }

    /** One frame from FreeSWITCH. Leaves the event (JSON) in the body and eslEvent=true, or a reply / null. */
    public void onFrame(Exchange exchange) {
        Message msg = exchange.getMessage();
        EslFrame frame = msg.getBody(EslFrame.class);
        msg.setBody(null);
        exchange.setProperty("eslEvent", false);
        switch (frame.contentType()) {
            case "auth/request" -> msg.setBody("auth " + password() + "\n\n");
            case "command/reply" -> commandReply(frame, msg);
            case "text/event-plain", "text/event-json" -> event(frame, exchange);
            case "text/disconnect-notice" -> LOG.info("FreeSWITCH announced a disconnect: {}", frame.body().strip());
            default -> LOG.debug("FreeSWITCH frame {} ignored", frame.contentType());
        }
    }

    private void commandReply(EslFrame frame, Message msg) {
        String reply = frame.replyText();
        if (reply.startsWith("+OK accepted")) {
            move(State.AUTHENTICATED);
            msg.setBody("event " + format() + " " + EVENTS + "\n\n");
        } else if (reply.startsWith("+OK event listener enabled")) {
            move(State.SUBSCRIBED);
            LOG.info("FreeSWITCH events subscribed ({}): {}", format(), EVENTS);
        } else if (reply.startsWith("-ERR")) {
            if (state.get() == State.CONNECTED) {
                move(State.AUTH_REFUSED);
                LOG.error("FreeSWITCH refused the event-socket password (hub.channels.cti.freeswitch.password): {}", reply);
            } else {
                LOG.warn("FreeSWITCH refused a command: {}", reply);
            }
        }
    }

    private void event(EslFrame frame, Exchange exchange) {
        // kept for the quarantine, should the event be unreadable
        exchange.setProperty(CtiIntake.RAW, frame.body());
        exchange.setProperty("eslContentType", frame.contentType());
        Map<String, String> event = EslEvents.parse(frame);
        String name = event.get("Event-Name");
        // the caller's leg only: the agent's leg of a bridged call is "outbound" and has its own Unique-ID
        boolean callerLeg = !"outbound".equalsIgnoreCase(event.getOrDefault("Call-Direction", "inbound"));
        if (("CHANNEL_HANGUP_COMPLETE".equals(name) && callerLeg) || "RECORD_STOP".equals(name)) {
            exchange.setProperty("eslEvent", true);
            exchange.setProperty(CtiIntake.RAW, frame.body());
            exchange.setProperty(CtiIntake.VERIFIED, true);
            exchange.getMessage().setBody(Json.write(event));
        }
    }

    private String format() {
        String f = props.freeswitch() == null ? null : props.freeswitch().format();
        return "json".equalsIgnoreCase(f) ? "json" : "plain";
    }

    private String password() {
        String p = props.freeswitch() == null ? null : props.freeswitch().password();
        return p == null ? "" : p;
    }

    private void move(State to) {
        state.set(to);
        since = Instant.now();
    }
}
