package city.hotline.hub.channel.weibo;

import java.util.LinkedHashMap;
import java.util.Map;

import city.hotline.hub.channel.generic.BuiltInBindings;
import city.hotline.hub.onboarding.ChannelBinding;
import city.hotline.hub.onboarding.ChannelFiles;
import city.hotline.hub.onboarding.ConnectorKinds;
import city.hotline.hub.onboarding.KindEndpoints;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Weibo on the {@code http-poll} kind, as a file channel is built: one binding (watermark paging, route
 * {@code weibo-poll}) whose sources are the two mention endpoints ({@code statuses/mentions},
 * {@code comments/mentions}, each with its own since_id cursor and rate-limit pause), made from
 * {@code hub.channels.weibo.*} (names and meaning unchanged) and checked against the kind's schema. What is
 * Weibo's own is plugged in by name: the answers ({@code reader: weiboPageReader}), the token in the query
 * from the database ({@code authBean: weiboAuth}, {@code authParam: access_token}) and the channel-wide
 * re-authorisation hold ({@code hold: weiboAuth}).
 */
@Component
public class WeiboBindings extends RouteBuilder {

    public static final String CHANNEL = "weibo";
    static final String ROUTE = "weibo-poll";

    private final WeiboProperties props;
    private final BuiltInBindings registry;
    private final Environment env;

    public WeiboBindings(WeiboProperties props, BuiltInBindings registry, Environment env) {
        this.props = props;
        this.registry = registry;
        this.env = env;
    }

    public ChannelBinding binding() {
        Map<String, Object> p = new LinkedHashMap<>();
        // since_id = the watermark (left out on a first run); older pages: max_id = the last page's lowest id - 1
        p.put("url", props.apiBaseUrl() + "/2/{source}/mentions.json?count=" + props.count() + "&since_id={watermark}");
        p.put("paging", "watermark");
        p.put("sources", "statuses,comments");
        p.put("sourceKey", "{source}/mentions");
        p.put("cursorParam", "max_id");
        p.put("reader", "weiboPageReader");
        p.put("authBean", "weiboAuth");
        p.put("authParam", "access_token");
        p.put("hold", "weiboAuth");
        p.put("interval", props.pollInterval().toMillis());
        p.put("initialDelay", DurationStyle.detectAndParse(env.getProperty("hub.channels.weibo.initial-delay", "1000")).toMillis());
        p.put("maxPages", props.maxPagesPerRun());
        p.put("backoffInitial", props.backoff().initialDelay().toMillis());
        p.put("backoffMultiplier", props.backoff().multiplier());
        p.put("maxBackoff", Math.max(1, props.backoff().maxDelay().toSeconds()));
        p.put("connectTimeout", Long.parseLong(env.getProperty("hub.channels.weibo.connect-timeout-millis", "5000")));
        p.put("responseTimeout", Long.parseLong(env.getProperty("hub.channels.weibo.response-timeout-millis", "20000")));
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", "http-poll");
        doc.put("mapping", "weibo-ticket.jsonata");
        doc.put("properties", p);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        // values are configuration already resolved: no placeholders to resolve again
        return ChannelFiles.readBinding(CHANNEL, "weibo (hub.channels.weibo.*)", new Yaml(options).dump(doc), v -> v);
    }

    @Override
    public void configure() {
        if (!props.enabled()) {
            return;
        }
        ChannelBinding binding = binding();
        registry.register(ROUTE, binding);
        from(KindEndpoints.uri(binding, ROUTE)).routeId("weibo-intake")
                .description("Weibo (http-poll): its Kamelet route " + ROUTE + " stores each mention in the inbox")
                .setHeader(BuiltInBindings.CHANNEL).constant(CHANNEL)
                .bean(ConnectorKinds.find(binding.kind()).orElseThrow().intakeBean(), "accept");
    }
}
