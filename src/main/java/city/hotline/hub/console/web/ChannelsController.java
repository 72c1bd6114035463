package city.hotline.hub.console.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import city.hotline.hub.ticket.HubProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /console/channels}: per channel its health, last arrival or successful poll, cursors, token
 * state, holds (throttled until), errors in the last hour, the instance running its poller, and
 * pause / resume for every instance (table channel_pause, read by the pollers and the reply lanes).
 */
@Controller
public class ChannelsController {

    /** An instance that has not written its heartbeat for this long is not listed. */
    static final Duration FRESH = Duration.ofSeconds(30);

    private final ConsoleQueries queries;
    private final ConsoleActions actions;
    private final List<String> configured;

    public ChannelsController(ConsoleQueries queries, ConsoleActions actions, HubProperties hub) {
        this.queries = queries;
        this.actions = actions;
        this.configured = hub.intake() == null || hub.intake().channels() == null ? List.of()
                : List.copyOf(hub.intake().channels().keySet());
    }

    @GetMapping("/console/channels")
    String channels(Model model) {
        TreeSet<String> names = new TreeSet<>(configured);
        names.addAll(queries.knownChannels());
        Map<String, Map<String, Object>> activity = queries.channelActivity();
        Map<String, Map<String, Object>> pauses = queries.pauses();
        List<Map<String, Object>> cursors = queries.cursors();
        List<Map<String, Object>> tokens = queries.tokens();
        List<Map<String, Object>> holds = queries.holds();
        List<Map<String, Object>> instances = queries.instances(FRESH);
        Instant now = Instant.now();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (String c : names) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("channel", c);
            Map<String, Object> a = activity.getOrDefault(c, Map.of());
            row.put("lastArrival", a.get("lastArrival"));
            row.put("lastHour", a.getOrDefault("lastHour", 0));
            row.put("errorsLastHour", a.getOrDefault("errorsLastHour", 0));
            row.put("pause", pauses.get(c));
            List<Map<String, Object>> cs = cursors.stream().filter(r -> c.equals(r.get("channel"))).toList();
            List<Map<String, Object>> hs = holds.stream().filter(r -> c.equals(r.get("channel"))).toList();
            row.put("cursors", cs);
            row.put("tokens", tokens.stream().filter(r -> c.equals(r.get("channel"))).toList());
            row.put("holds", hs);
            row.put("lastPoll", cs.stream().map(r -> (java.sql.Timestamp) r.get("lastSuccessAt")).filter(java.util.Objects::nonNull)
                    .max(java.util.Comparator.naturalOrder()).orElse(null));
            row.put("pollerOn", instances.stream().filter(i -> List.of(((String) i.get("pollers")).split(",")).contains(c + "-poll"))
                    .map(i -> (String) i.get("nodeId")).toList());
            row.put("health", health(pauses.get(c) != null, cs, hs, now));
            rows.add(row);
        }
        model.addAttribute("channels", rows);
        model.addAttribute("instances", instances);
        return "console/channels";
    }

    /** PAUSED (by an operator), HELD (a channel hold in force), DEGRADED (a source failing or waiting), else UP. */
    static String health(boolean paused, List<Map<String, Object>> cursors, List<Map<String, Object>> holds, Instant now) {
        if (paused) {
            return "PAUSED";
        }
        boolean held = holds.stream().anyMatch(h -> h.get("until") == null || ((java.sql.Timestamp) h.get("until")).toInstant().isAfter(now));
        if (held) {
            return "HELD";
        }
        boolean failing = cursors.stream().anyMatch(r -> ((Number) r.get("failures")).intValue() > 0);
        return failing ? "DEGRADED" : "UP";
    }

    @PostMapping("/console/channels/{channel}/pause")
    String pause(@PathVariable String channel, @RequestParam(required = false) String reason, Authentication auth) {
        actions.pause(known(channel), reason, auth.getName());
        return "redirect:/console/channels";
    }

    @PostMapping("/console/channels/{channel}/resume")
    String resume(@PathVariable String channel, Authentication auth) {
        actions.resume(known(channel), auth.getName());
        return "redirect:/console/channels";
    }

    private String known(String channel) {
        if (!configured.contains(channel) && !queries.knownChannels().contains(channel)) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown channel");
        }
        return channel;
    }
}
