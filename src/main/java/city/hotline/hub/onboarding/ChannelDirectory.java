package city.hotline.hub.onboarding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import city.hotline.hub.ticket.Hashing;
import city.hotline.hub.ticket.HubProperties;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Channels defined by files in {@code hub.channels.dir}: {@code connectors/<name>-channel.yaml} (kind and
 * properties), {@code mappings/<name>.jsonata} (payload to ticket, status to reply) and
 * {@code routes/<name>.yaml} (the reply route). The directory is looked at every
 * {@code hub.channels.scan-interval}; a channel whose files changed is checked as a whole and, if
 * sound, its routes are swapped for the new ones; a channel whose binding disappeared is stopped.
 * A file that fails a check is refused with its file, line and problem (log and
 * {@code GET /api/v1/channels}) and the running version, if any, stays up.
 *
 * <p>Why a scan and not a {@code file:} routes pattern or a WatchService: the directory may be missing at
 * start-up (a {@code file:} pattern then stops the start, DESIGN.md §9) or appear later, and an
 * engineer copies three files one after the other; comparing content hashes every couple of seconds
 * handles all of that, reloads only what changed, and a half-copied channel is simply refused until
 * its last file lands.
 */
@Component
public class ChannelDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelDirectory.class);

    /** What a channel's files hold at one moment. */
    record Snapshot(String name, String bindingFile, String bindingText, String mappingFile, String mappingText,
                    String routeFile, String routeLocation, String routeText, String fingerprint) {
    }

    /** A running channel. */
    record Loaded(Snapshot files, ChannelBinding binding, List<RouteDefinition> routes, List<String> routeIds, Instant since) {
    }

    /** A refused version of a channel's files. */
    record Refused(String fingerprint, ChannelFileError error, Instant at) {
    }

    private final OnboardingProperties props;
    private final HubProperties hub;
    private final CamelContext camel;
    private final ChannelMappings mappings;
    private final Map<String, Loaded> loaded = new ConcurrentHashMap<>();
    private final Map<String, Refused> refused = new ConcurrentHashMap<>();
    private ScheduledExecutorService scanner;
    private Map<String, Snapshot> packaged = Map.of();

    /** Where channels packaged in the jar live (src/main/resources/hub-channels/...). */
    static final String PACKAGED = "hub-channels";

    public ChannelDirectory(OnboardingProperties props, HubProperties hub, CamelContext camel, ChannelMappings mappings) {
        this.props = props;
        this.hub = hub;
        this.camel = camel;
        this.mappings = mappings;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        packaged = readPackaged();
        boolean watch = props.dir() != null && !props.dir().isBlank();
        if (!watch) {
            LOG.info("hub.channels.dir is not set: channels from the jar only ({})", packaged.keySet());
            scan();
            return;
        }
        LOG.info("Channels from files: watching {} every {} (and from the jar: {})", Path.of(props.dir()).toAbsolutePath(),
                props.scanInterval(), packaged.keySet());
        scanner = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "channel-directory");
            t.setDaemon(true);
            return t;
        });
        scanner.scheduleWithFixedDelay(this::scanQuietly, 0, Math.max(200, props.scanInterval().toMillis()), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    public void stop() {
        if (scanner != null) {
            scanner.shutdownNow();
        }
    }

    private void scanQuietly() {
        try {
            scan();
        } catch (RuntimeException e) {
            LOG.error("Scanning {} failed; the next scan tries again", props.dir(), e);
        }
    }

    /** One look at the directory: start, reload or stop what changed. */
    synchronized void scan() {
        // the jar's channels, overridden by a channel of the same name in the directory
        Map<String, Snapshot> found = new TreeMap<>(packaged);
        if (props.dir() != null && !props.dir().isBlank()) {
            found.putAll(read(Path.of(props.dir())));
        }
        for (Snapshot s : found.values()) {
            Loaded running = loaded.get(s.name());
            Refused lastRefusal = refused.get(s.name());
            if (running != null && running.files().fingerprint().equals(s.fingerprint())) {
                refused.remove(s.name());
                continue;
            }
            if (lastRefusal != null && lastRefusal.fingerprint().equals(s.fingerprint())) {
                continue;
            }
            apply(s, running);
        }
        for (String name : List.copyOf(loaded.keySet())) {
            if (!found.containsKey(name)) {
                unload(loaded.remove(name));
                LOG.info("Channel {} stopped: its binding connectors/{}{} is gone", name, name, ChannelFiles.BINDING_SUFFIX);
            }
        }
        refused.keySet().removeIf(name -> !found.containsKey(name));
    }

    private void apply(Snapshot s, Loaded running) {
        ChannelRoutes routes = new ChannelRoutes(camel);
        try {
            ChannelBinding binding = check(s, running);
            List<RouteDefinition> fileRoutes = routes.parse(s.name(), s.routeFile(), s.routeLocation(), s.routeText(),
                    running == null ? Set.of() : Set.copyOf(running.routeIds()));
            ChannelMappings.Accepted mapping = accept(s, binding);
            Loaded next = new Loaded(s, binding, fileRoutes, ChannelRoutes.ids(binding, fileRoutes), Instant.now());
            if (running != null) {
                unload(running);
            }
            try {
                mappings.put(mapping);
                routes.add(binding, s.routeFile(), s.routeLocation(), s.routeText());
            } catch (ChannelFileError e) {
                routes.remove(next.routeIds(), kamelet(binding), ChannelRoutes.innerId(binding));
                mappings.remove(s.name());
                if (running != null) {
                    restore(running);
                }
                throw e;
            }
            loaded.put(s.name(), next);
            refused.remove(s.name());
            LOG.info("Channel {} {} ({}, routes {})", s.name(), running == null ? "started" : "reloaded", binding,
                    next.routeIds().stream().map(id -> id + ":" + camel.getRouteController().getRouteStatus(id)).toList());
        } catch (ChannelFileError e) {
            refused.put(s.name(), new Refused(s.fingerprint(), e, Instant.now()));
            LOG.error("Channel {} refused, {}: {}", s.name(), running == null ? "not started" : "the running version stays up",
                    e.getMessage());
        }
    }

    private ChannelBinding check(Snapshot s, Loaded running) {
        if (s.bindingText() == null) {
            throw new ChannelFileError(s.bindingFile(), 0, 0, "cannot be read");
        }
        if (hub.intake() != null && hub.intake().channels() != null && hub.intake().channels().containsKey(s.name())) {
            throw new ChannelFileError(s.bindingFile(), 0, 0, "'" + s.name() + "' is a built-in channel (hub.intake.channels); choose another name");
        }
        ChannelBinding binding = ChannelFiles.readBinding(s.name(), s.bindingFile(), s.bindingText(), camel::resolvePropertyPlaceholders);
        String mappingFile = s.mappingFile();
        if (s.mappingText() == null) {
            throw new ChannelFileError(mappingFile, 0, 0, "missing: the binding names it as the channel's mapping");
        }
        ChannelFiles.checkMapping(mappingFile, s.mappingText());
        if (s.routeText() == null) {
            throw new ChannelFileError(s.routeFile(), 0, 0, "missing: a channel's route file holds at least its reply route from direct:reply-"
                    + s.name());
        }
        if (running == null) {
            for (String id : List.of(ChannelRoutes.intakeId(binding), ChannelRoutes.innerId(binding), ChannelRoutes.replyLaneId(s.name()))) {
                if (camel.getRoute(id) != null) {
                    throw new ChannelFileError(s.bindingFile(), 0, 0, "route id '" + id + "' is already used; choose another channel name");
                }
            }
        }
        return binding;
    }

    /** The mapping as accepted: a copy named by its content, which the routes read (a later bad edit never reaches them). */
    private ChannelMappings.Accepted accept(Snapshot s, ChannelBinding binding) {
        try {
            Path dir = Path.of(hub.dataDir() == null ? "./data" : hub.dataDir(), "channels", "accepted").toAbsolutePath();
            Files.createDirectories(dir);
            Path copy = dir.resolve(s.name() + "-" + Hashing.sha256Hex(s.mappingText()).substring(0, 16) + ".jsonata");
            if (!Files.exists(copy)) {
                Files.writeString(copy, s.mappingText(), StandardCharsets.UTF_8);
            }
            return new ChannelMappings.Accepted(s.name(), "file:" + copy, s.mappingText(), s.mappingFile(), binding);
        } catch (IOException e) {
            throw new ChannelFileError(s.mappingFile(), 0, 0, "cannot keep an accepted copy under hub.data-dir: " + e.getMessage());
        }
    }

    private void unload(Loaded l) {
        new ChannelRoutes(camel).remove(l.routeIds(), kamelet(l.binding()), ChannelRoutes.innerId(l.binding()));
        mappings.remove(l.files().name());
    }

    private void restore(Loaded previous) {
        try {
            apply(previous.files(), null);
        } catch (RuntimeException e) {
            LOG.error("Channel {}: the previous version could not be started again", previous.files().name(), e);
        }
    }

    private static String kamelet(ChannelBinding binding) {
        return ConnectorKinds.find(binding.kind()).map(ConnectorKinds.Kind::kamelet).orElse(null);
    }

    /**
     * Channels packaged in the jar under {@code hub-channels/} (same three-file layout), read once: they change
     * only with a new jar. (Not {@code channels/}: that name holds the sample payloads of the tests.)
     */
    static Map<String, Snapshot> readPackaged() {
        Map<String, Snapshot> out = new TreeMap<>();
        var resolver = new org.springframework.core.io.support.PathMatchingResourcePatternResolver();
        try {
            for (var binding : resolver.getResources("classpath*:" + PACKAGED + "/connectors/*" + ChannelFiles.BINDING_SUFFIX)) {
                String name = ChannelFiles.channelOf(binding.getFilename());
                if (name == null) {
                    continue;
                }
                String bindingText = resourceText(binding);
                String mapping = mappingName(name, bindingText);
                String mappingText = resourceText(resolver.getResource("classpath:" + PACKAGED + "/mappings/" + mapping));
                String routeText = resourceText(resolver.getResource("classpath:" + PACKAGED + "/routes/" + name + ".yaml"));
                String fingerprint = Hashing.sha256Hex(bindingText + "\u0000" + mappingText + "\u0000" + routeText);
                out.put(name, new Snapshot(name, "jar:" + PACKAGED + "/connectors/" + binding.getFilename(), bindingText,
                        "jar:" + PACKAGED + "/mappings/" + mapping, mappingText, "jar:" + PACKAGED + "/routes/" + name + ".yaml",
                        "classpath:" + PACKAGED + "/routes/" + name + ".yaml", routeText, fingerprint));
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the jar's channels under {}: {}", PACKAGED, e.getMessage());
        }
        return out;
    }

    private static String resourceText(org.springframework.core.io.Resource r) {
        try (var in = r.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<String, Snapshot> read(Path dir) {
        Map<String, Snapshot> out = new TreeMap<>();
        Path connectors = dir.resolve("connectors");
        if (!Files.isDirectory(connectors)) {
            return out;
        }
        List<Path> bindings;
        try (Stream<Path> list = Files.list(connectors)) {
            bindings = list.filter(p -> ChannelFiles.channelOf(p.getFileName().toString()) != null).sorted().toList();
        } catch (IOException e) {
            LOG.warn("Cannot list {}: {}", connectors, e.getMessage());
            return out;
        }
        for (Path b : bindings) {
            String name = ChannelFiles.channelOf(b.getFileName().toString());
            String bindingText = text(b);
            String mapping = mappingName(name, bindingText);
            Path mappingPath = dir.resolve("mappings").resolve(mapping);
            Path routePath = dir.resolve("routes").resolve(name + ".yaml");
            String mappingText = text(mappingPath);
            String routeText = text(routePath);
            String fingerprint = Hashing.sha256Hex(bindingText + "\u0000" + mappingText + "\u0000" + routeText);
            out.put(name, new Snapshot(name, "connectors/" + b.getFileName(), bindingText, "mappings/" + mapping, mappingText,
                    "routes/" + name + ".yaml", "file:" + routePath.toAbsolutePath(), routeText, fingerprint));
        }
        return out;
    }

    private static String mappingName(String name, String bindingText) {
        try {
            Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(bindingText == null ? "" : bindingText);
            if (doc instanceof Map<?, ?> m && m.get("mapping") != null) {
                String mapping = String.valueOf(m.get("mapping"));
                if (mapping.matches("[A-Za-z0-9][A-Za-z0-9_-]*\\.jsonata")) {
                    return mapping;
                }
            }
        } catch (RuntimeException e) {
            // the binding check reports it
        }
        return name + ".jsonata";
    }

    private static String text(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Running and refused channels, for GET /api/v1/channels. */
    public List<Map<String, Object>> status() {
        List<Map<String, Object>> out = new ArrayList<>();
        Set<String> names = new java.util.TreeSet<>(loaded.keySet());
        names.addAll(refused.keySet());
        for (String name : names) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("channel", name);
            Loaded l = loaded.get(name);
            Refused r = refused.get(name);
            c.put("running", l != null);
            if (l != null) {
                c.put("kind", l.binding().kind());
                c.put("routes", l.routeIds());
                c.put("since", l.since().toString());
            }
            if (r != null) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("file", r.error().file());
                e.put("line", r.error().line());
                e.put("column", r.error().column());
                e.put("problem", r.error().problem());
                e.put("message", r.error().getMessage());
                e.put("at", r.at().toString());
                c.put("refused", e);
            }
            out.add(c);
        }
        return out;
    }
}
