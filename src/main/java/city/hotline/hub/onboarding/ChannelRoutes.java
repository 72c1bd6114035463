package city.hotline.hub.onboarding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.FromDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RoutesDefinition;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds and removes one file channel's routes in the running Camel context: the routes of its route
 * file (loaded with Camel's own {@code RoutesLoader}, so they are the YAML DSL every other route file
 * uses), its intake route {@code <name>-intake} consuming its connector Kamelet (whose own route is
 * {@code <name>-<suffix>}, e.g. {@code <name>-poll}, so a poller gets the leader-only policy of
 * {@code hub.cluster.routes}), and its reply lane {@code reply-lane-<name>} from the {@code reply-lane}
 * template of routes/pipeline.yaml.
 */
class ChannelRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRoutes.class);
    private static final Pattern LINE = Pattern.compile("line (\\d+)(?:, column (\\d+))?", Pattern.CASE_INSENSITIVE);

    private final CamelContext camel;

    ChannelRoutes(CamelContext camel) {
        this.camel = camel;
    }

    /** Parses a route file into its routes without adding them; refuses what would not fit. */
    List<RouteDefinition> parse(String channel, String file, String location, String text, Set<String> ownIds) {
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            Resource resource = ResourceHelper.fromString(location, text);
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource));
            for (RoutesBuilder b : builders) {
                if (!(b instanceof RouteBuilder rb)) {
                    throw new ChannelFileError(file, 0, 0, "not a route file");
                }
                RoutesDefinition defs = rb.configureRoutes(camel);
                if (!rb.getRouteTemplateCollection().getRouteTemplates().isEmpty()
                        || !rb.getTemplatedRouteCollection().getTemplatedRoutes().isEmpty()) {
                    throw new ChannelFileError(file, 0, 0, "a channel's route file holds routes only (its reply lane is made by the hub)");
                }
                routes.addAll(defs.getRoutes());
            }
        } catch (ChannelFileError e) {
            throw e;
        } catch (Exception e) {
            throw located(file, e);
        }
        if (routes.isEmpty()) {
            throw new ChannelFileError(file, 0, 0, "no route; a channel's route file has at least its reply route from direct:reply-" + channel);
        }
        boolean reply = false;
        for (RouteDefinition r : routes) {
            String id = r.getRouteId();
            if (id == null || !id.startsWith(channel + "-")) {
                throw new ChannelFileError(file, line(r), 0, "route id '" + id + "' must be set and start with '" + channel
                        + "-' (route ids are unique across the hub)");
            }
            if (camel.getRoute(id) != null && !ownIds.contains(id)) {
                throw new ChannelFileError(file, line(r), 0, "route id '" + id + "' is already used by another route");
            }
            FromDefinition from = r.getInput();
            if (from != null && ("direct:reply-" + channel).equals(from.getEndpointUri())) {
                reply = true;
            }
        }
        if (!reply) {
            throw new ChannelFileError(file, 0, 0, "no route from direct:reply-" + channel
                    + " (the reply lane hands each status for this channel to it)");
        }
        return routes;
    }

    /** The route ids a running channel owns, route file first. */
    static List<String> ids(ChannelBinding binding, List<RouteDefinition> fileRoutes) {
        List<String> ids = new ArrayList<>();
        ids.add(intakeId(binding));
        ids.add(innerId(binding));
        ids.add(replyLaneId(binding.name()));
        fileRoutes.forEach(r -> ids.add(r.getRouteId()));
        return ids;
    }

    static String intakeId(ChannelBinding binding) {
        return binding.name() + "-intake";
    }

    static String innerId(ChannelBinding binding) {
        return binding.name() + "-" + ConnectorKinds.find(binding.kind()).map(ConnectorKinds.Kind::routeSuffix).orElse("source");
    }

    static String replyLaneId(String channel) {
        return "reply-lane-" + channel;
    }

    /**
     * Adds and starts a channel's routes: its route file's first (the reply route), then the reply lane, the
     * intake last. Both go through RouteBuilders, as Camel's own loading does, so that their
     * {@code routeConfigurationId} (routes/error-handling.yaml) applies. A failure names the file it comes
     * from: the route file, or the binding for the intake.
     */
    void add(ChannelBinding binding, String routeFile, String routeLocation, String routeText) {
        try {
            Resource resource = ResourceHelper.fromString(routeLocation, routeText);
            for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel).findRoutesBuilders(List.of(resource))) {
                camel.addRoutes(b);
            }
        } catch (Exception e) {
            throw located(routeFile, e);
        }
        ConnectorKinds.Kind kind = ConnectorKinds.find(binding.kind()).orElseThrow();
        // secrets reach the Kamelet as Camel properties camel.kamelet.<kamelet>.<route id>.<name>, never in its URI
        binding.secrets().forEach(key -> {
            String value = binding.property(key);
            if (value != null && !value.isEmpty()) {
                camel.getPropertiesComponent().addOverrideProperty(
                        "camel.kamelet." + kind.kamelet() + "." + innerId(binding) + "." + key, value);
            }
        });
        String uri = intakeUri(binding, kind);
        try {
            // from the template of routes/pipeline.yaml (Camel prepares template routes, so reply-errors applies)
            Map<String, Object> lane = new LinkedHashMap<>();
            lane.put("channel", binding.name());
            lane.put("concurrency", String.valueOf(binding.replyConcurrency()));
            ((org.apache.camel.model.ModelCamelContext) camel).addRouteFromTemplate(replyLaneId(binding.name()), "reply-lane", lane);
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    RouteDefinition route = from(uri).routeId(intakeId(binding))
                            .description("Channel " + binding.name() + " (" + binding.kind() + ", " + binding.file() + "): stores each item in the inbox");
                    if (kind.routeConfiguration() != null) {
                        route.routeConfigurationId(kind.routeConfiguration());
                    }
                    route.setHeader("hubChannel").constant(binding.name());
                    if (kind.intakeBean() != null) {
                        route.bean(kind.intakeBean(), "accept");
                    }
                }
            });
        } catch (Exception e) {
            throw located(binding.file(), e);
        }
    }

    private static String intakeUri(ChannelBinding binding, ConnectorKinds.Kind kind) {
        return KindEndpoints.uri(binding, innerId(binding));
    }

    /** Stops and removes every route of a channel that exists, the intake first so nothing new comes in. */
    void remove(List<String> ids, String kamelet, String innerId) {
        List<String> order = new ArrayList<>(ids);
        for (String id : order) {
            Route route = camel.getRoute(id);
            if (route == null) {
                continue;
            }
            try {
                camel.getRouteController().stopRoute(id, 10, TimeUnit.SECONDS);
                if (!camel.removeRoute(id)) {
                    LOG.warn("Route {} could not be removed", id);
                }
            } catch (Exception e) {
                LOG.warn("Route {} did not stop cleanly: {}", id, e.getMessage());
            }
        }
        // the Kamelet endpoint would otherwise be reused by the next version and not make its route again
        if (kamelet != null) {
            try {
                camel.removeEndpoints("kamelet:" + kamelet + "/" + innerId + "*");
                camel.removeEndpoints("kamelet://" + kamelet + "/" + innerId + "*");
            } catch (Exception e) {
                LOG.warn("Kamelet endpoint of {} not removed: {}", innerId, e.getMessage());
            }
        }
    }

    private static int line(RouteDefinition r) {
        return r.getLineNumber() > 0 ? r.getLineNumber() : 0;
    }

    /** Camel's YAML errors name the line and column in their message; keep the innermost message. */
    static ChannelFileError located(String file, Throwable e) {
        int line = 0;
        int column = 0;
        StringBuilder problem = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String m = t.getMessage();
            if (m == null) {
                continue;
            }
            Matcher matcher = LINE.matcher(m);
            if (line == 0 && matcher.find()) {
                line = Integer.parseInt(matcher.group(1));
                column = matcher.group(2) == null ? 0 : Integer.parseInt(matcher.group(2));
            }
            if (problem.indexOf(m) < 0) {
                if (!problem.isEmpty()) {
                    problem.append(" <- ");
                }
                problem.append(m.replaceAll("\\s+", " ").trim());
            }
        }
        return new ChannelFileError(file, line, column, problem.isEmpty() ? e.getClass().getSimpleName() : problem.toString());
    }
}
