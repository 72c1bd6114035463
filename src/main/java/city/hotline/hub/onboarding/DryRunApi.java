package city.hotline.hub.onboarding;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

import city.hotline.hub.console.ApiClientRegistry;
import city.hotline.hub.ticket.HubProperties;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * For integration engineers (admin API clients): {@code GET /api/v1/channels} lists the built-in channels
 * and the file channels, running or refused (with the refused file, line and problem);
 * {@code POST /api/v1/channels/{name}/dry-run[?status=REPLIED&reply=...]} answers what the channel would
 * make of the native payload in the body ({@link DryRun}). Nothing is stored or sent.
 */
@RestController
@RequestMapping(path = "/api/v1/channels", produces = "application/json")
public class DryRunApi {

    private final ChannelDirectory directory;
    private final ChannelMappings fileChannels;
    private final HubProperties hub;
    private final ResourceLoader resources;
    private volatile DryRun dryRun;

    private final city.hotline.hub.ticket.MappingFunctions functions;

    public DryRunApi(ChannelDirectory directory, ChannelMappings fileChannels, HubProperties hub, ResourceLoader resources,
                     city.hotline.hub.ticket.MappingFunctions functions) {
        this.functions = functions;
        this.directory = directory;
        this.fileChannels = fileChannels;
        this.hub = hub;
        this.resources = resources;
    }

    @GetMapping
    public Map<String, Object> channels(@RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client) {
        admin(client);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("builtIn", new TreeSet<>(hub.intake().channels().keySet()));
        out.put("files", directory.status());
        return out;
    }

    @PostMapping("/{name}/dry-run")
    public Map<String, Object> dryRun(@RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client client,
                                      @PathVariable String name, @RequestBody(required = false) String payload,
                                      @RequestParam(required = false) String status, @RequestParam(required = false) String reply) {
        admin(client);
        if (payload == null || payload.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "the body is the channel's native payload");
        }
        return dryRun().run(channel(name), payload, status, reply);
    }

    DryRun.Channel channel(String name) {
        var file = fileChannels.find(name);
        if (file.isPresent()) {
            ChannelBinding b = file.get().binding();
            return new DryRun.Channel(name, file.get().file(), file.get().text(), file.get().file(), file.get().text(),
                    DryRun.ReplyStyle.FILE_CHANNEL, b.property("itemId", "id"), "form".equals(b.property("format")));
        }
        HubProperties.IntakeChannel config = hub.intake().channels().get(name);
        if (config == null) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "unknown channel '" + name + "'");
        }
        String mappingFile = "mappings/" + config.mapping();
        String replyFile = "mail".equals(name) ? "mappings/mail-reply.jsonata" : null;
        return new DryRun.Channel(name, mappingFile, read(config.mapping()), replyFile, replyFile == null ? null : read("mail-reply.jsonata"),
                replyFile == null ? DryRun.ReplyStyle.NONE : DryRun.ReplyStyle.MAIL, config.itemIdField(), false);
    }

    private DryRun dryRun() {
        if (dryRun == null) {
            dryRun = new DryRun(read("ticket.schema.json"), functions);
        }
        return dryRun;
    }

    private String read(String file) {
        try (InputStream in = resources.getResource(hub.mappingsLocation() + "/" + file).getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + hub.mappingsLocation() + "/" + file, e);
        }
    }

    private static void admin(ApiClientRegistry.Client client) {
        if (client == null || !client.admin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "channel files and dry runs are for admin API clients");
        }
    }
}
