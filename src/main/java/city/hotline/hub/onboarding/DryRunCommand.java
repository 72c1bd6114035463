package city.hotline.hub.onboarding;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import city.hotline.hub.ticket.Json;

/**
 * The dry run on the command line, without starting the hub (no database, no broker):
 * <pre>
 * mvn -B -q compile exec:java -Dexec.mainClass=city.hotline.hub.onboarding.DryRunCommand \
 *     -Dexec.args="app12345 payload.json REPLIED" -Dhub.channels.dir=/etc/hotline-hub/channels
 * </pre>
 * A channel with a binding {@code <hub.channels.dir>/connectors/<name>-channel.yaml} is a file channel;
 * otherwise a built-in one, whose mapping is {@code <hub.mappings.dir, default mappings>/<name>-ticket.jsonata}.
 * Prints the same JSON as {@code POST /api/v1/channels/{name}/dry-run}; exit code 0 when the ticket (and
 * reply) are valid, 1 when not, 2 on a usage error. Placeholders in the binding resolve from system
 * properties and the environment ({@code {{hub.x.y}}} also as {@code HUB_X_Y}); unresolved ones are
 * left as their name (a dry run needs no secrets).
 */
public final class DryRunCommand {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{([^}:]+)(?::([^}]*))?}}");

    private DryRunCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: DryRunCommand <channel> <payload file> [status]   (-Dhub.channels.dir=..., -Dhub.mappings.dir=mappings, -Dreply=...)");
            System.exit(2);
        }
        String dir = System.getProperty("hub.channels.dir");
        Path mappings = Path.of(System.getProperty("hub.mappings.dir", "mappings"));
        DryRun.Channel channel = channel(dir == null || dir.isBlank() ? null : Path.of(dir), mappings, args[0]);
        // the hub's working-day calendar ($addWorkingDays), from the same files the hub reads (docs/calendar.md)
        city.hotline.hub.ticket.MappingFunctions functions = new city.hotline.hub.ticket.MappingFunctions(
                new city.hotline.hub.calendar.WorkingCalendar(System.getProperty("hub.calendar.files", "classpath*:mappings/calendar/*.csv")));
        DryRun dryRun = new DryRun(Files.readString(mappings.resolve("ticket.schema.json"), StandardCharsets.UTF_8), functions);
        Map<String, Object> result = dryRun.run(channel, Files.readString(Path.of(args[1]), StandardCharsets.UTF_8),
                args.length > 2 ? args[2] : null, System.getProperty("reply"));
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        if (!Boolean.TRUE.equals(result.get("valid"))) {
            System.exit(1);
        }
    }

    /** A channel as its files describe it: a file channel in {@code channelsDir}, else a built-in one in {@code mappingsDir}. */
    public static DryRun.Channel channel(Path channelsDir, Path mappingsDir, String name) throws IOException {
        Path binding = channelsDir == null ? null : channelsDir.resolve("connectors").resolve(name + ChannelFiles.BINDING_SUFFIX);
        if (binding != null && Files.isRegularFile(binding)) {
            ChannelBinding b = ChannelFiles.readBinding(name, "connectors/" + binding.getFileName(),
                    Files.readString(binding, StandardCharsets.UTF_8), DryRunCommand::resolve);
            String file = "mappings/" + b.mapping();
            String text = Files.readString(channelsDir.resolve(file), StandardCharsets.UTF_8);
            return new DryRun.Channel(name, file, text, file, text, DryRun.ReplyStyle.FILE_CHANNEL, b.property("itemId", "id"),
                    "form".equals(b.property("format")));
        }
        Path mapping = mappingsDir.resolve(name + "-ticket.jsonata");
        if (!Files.isRegularFile(mapping)) {
            throw new IllegalArgumentException("unknown channel '" + name + "': no " + binding + " and no " + mapping);
        }
        Path reply = mappingsDir.resolve(name + "-reply.jsonata");
        boolean mail = "mail".equals(name) && Files.isRegularFile(reply);
        return new DryRun.Channel(name, "mappings/" + mapping.getFileName(), Files.readString(mapping, StandardCharsets.UTF_8),
                mail ? "mappings/" + reply.getFileName() : null, mail ? Files.readString(reply, StandardCharsets.UTF_8) : null,
                mail ? DryRun.ReplyStyle.MAIL : DryRun.ReplyStyle.NONE, "webform".equals(name) ? "externalId" : null, false);
    }

    /** {{key}} / {{key:default}} from system properties or the environment; else left as the key's name. */
    static String resolve(String value) {
        return resolveWith(value, k -> {
            String v = System.getProperty(k);
            return v != null ? v : System.getenv(k.toUpperCase().replace('.', '_').replace('-', '_'));
        });
    }

    static String resolveWith(String value, UnaryOperator<String> lookup) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1).startsWith("env:") ? m.group(1).substring(4) : m.group(1);
            String v = lookup.apply(key);
            if (v == null) {
                v = m.group(2) != null ? m.group(2) : "<" + key + ">";
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
