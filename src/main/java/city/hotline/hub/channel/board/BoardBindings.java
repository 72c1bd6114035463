package city.hotline.hub.channel.board;

import java.time.Duration;
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
 * The built-in board channel on the connector kinds, as a file channel is built: its JSON-API forums are one
 * {@code http-poll} binding (watermark paging, one source per forum, route {@code board-poll}), each scraped
 * board of {@code html-boards} an {@code html-board} binding (route {@code board-html-<name>-poll}). The
 * bindings' properties are the channel's own keys ({@code hub.channels.board.*}, names and meaning unchanged),
 * checked against the kind's schema like a binding file (ChannelFiles), and registered for the kinds' intake
 * beans (BuiltInBindings). Made in Java rather than shipped as a binding file with placeholders because
 * {@code forums} and {@code html-boards} are a list and a map, which placeholders cannot spread into properties.
 * Routes ending in {@code -poll} run on one instance at a time (cluster/LeaderOnlyRoutes).
 */
@Component
public class BoardBindings extends RouteBuilder {

    public static final String CHANNEL = "board";
    static final String API_ROUTE = "board-poll";

    private final BoardProperties props;
    private final BuiltInBindings registry;
    private final Environment env;

    public BoardBindings(BoardProperties props, BuiltInBindings registry, Environment env) {
        this.props = props;
        this.registry = registry;
        this.env = env;
    }

    /** Kamelet route id → binding, for the board's configuration. */
    public Map<String, ChannelBinding> bindings() {
        Map<String, ChannelBinding> out = new LinkedHashMap<>();
        if (!props.forums().isEmpty()) {
            out.put(API_ROUTE, check("board (hub.channels.board.*)", "http-poll", apiProperties()));
        }
        props.htmlBoards().forEach((name, board) -> {
            if (board.enabled()) {
                out.put(htmlRoute(name), check("board (hub.channels.board.html-boards." + name + ".*)", "html-board", htmlProperties(name, board)));
            }
        });
        return out;
    }

    static String htmlRoute(String name) {
        return "board-html-" + name + "-poll";
    }

    @Override
    public void configure() {
        if (!props.enabled()) {
            return;
        }
        bindings().forEach((routeId, binding) -> {
            registry.register(routeId, binding);
            String intakeBean = ConnectorKinds.find(binding.kind()).orElseThrow().intakeBean();
            from(KindEndpoints.uri(binding, routeId)).routeId(routeId.replaceAll("-poll$", "-intake"))
                    .description("Board (" + binding.kind() + "): its Kamelet route " + routeId + " stores each thread in the inbox")
                    .setHeader(BuiltInBindings.CHANNEL).constant(CHANNEL)
                    .bean(intakeBean, "accept");
        });
    }

    private Map<String, Object> apiProperties() {
        Map<String, Object> p = common();
        p.put("url", props.apiBaseUrl() + "/threads/queryThreadsList");
        p.put("paging", "watermark");
        p.put("sources", String.join(",", props.forums()));
        p.put("sourceKey", "fid:{source}");
        p.put("method", "POST");
        // state=1 (全部): the cursor, not the state filter, decides what is new; lastItem: the tid the page starts after
        p.put("body", "fid={source}&state=" + "1" + "&lastItem={cursor}" + (props.pageSize() > 0 ? "&pageSize=" + props.pageSize() : ""));
        p.put("firstCursor", "0");
        p.put("reader", "boardApiReader");
        return p;
    }

    private Map<String, Object> htmlProperties(String name, BoardProperties.HtmlBoard board) {
        Map<String, Object> p = common();
        p.put("listUrl", board.listUrl());
        p.put("item", board.item());
        p.put("link", board.link());
        p.put("idPattern", board.idPattern());
        p.put("subject", board.subject());
        p.put("time", board.time());
        p.put("timeFormat", board.timeFormat());
        p.put("zone", board.zone());
        p.put("state", board.state());
        p.put("nextPage", board.nextPage());
        if (board.detail() != null) {
            p.put("detailContent", board.detail().content());
            p.put("detailAuthor", board.detail().author());
            p.put("detailAnswer", board.detail().answer());
            p.put("detailAnswerOrganization", board.detail().answerOrganization());
        }
        p.put("source", "html:" + name);
        p.put("boardName", name);
        p.put("itemIdPrefix", name + ":");
        p.put("itemShape", "board-api");
        p.values().removeIf(v -> v == null || v.toString().isBlank());
        return p;
    }

    /** What both kinds share: timing, first-run backfill, back-off, re-reads of open threads. */
    private Map<String, Object> common() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("interval", millis(props.pollInterval()));
        p.put("initialDelay", DurationStyle.detectAndParse(env.getProperty("hub.channels.board.initial-delay", "1000")).toMillis());
        p.put("backfill", Math.max(1, props.backfill().toSeconds()));
        p.put("maxPages", props.maxPagesPerRun());
        p.put("backoffInitial", millis(props.backoff().initialDelay()));
        p.put("backoffMultiplier", props.backoff().multiplier());
        p.put("maxBackoff", Math.max(1, props.backoff().maxDelay().toSeconds()));
        p.put("recheckInterval", millis(props.recheckInterval()));
        p.put("tracker", "boardThreads");
        p.put("connectTimeout", Long.parseLong(env.getProperty("hub.channels.board.connect-timeout-millis", "5000")));
        p.put("responseTimeout", Long.parseLong(env.getProperty("hub.channels.board.response-timeout-millis", "20000")));
        return p;
    }

    private static long millis(Duration d) {
        return d == null ? 0 : d.toMillis();
    }

    /** The same check as a binding file's (schema of the kind, types, secrets): a bad configuration fails the start, by name. */
    private static ChannelBinding check(String file, String kind, Map<String, Object> properties) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("kind", kind);
        doc.put("mapping", "board-ticket.jsonata");
        doc.put("properties", properties);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        String text = new Yaml(options).dump(doc);
        // values are configuration already resolved: no placeholders to resolve again
        return ChannelFiles.readBinding(CHANNEL, file, text, v -> v);
    }
}
