package city.hotline.hub.dedup;

import java.util.Map;

import city.hotline.hub.console.ApiClientRegistry;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code POST /api/v1/tickets/{ticketId}/origins/{channel}/{channelItemId}/split}: an operator undoes a
 * wrong merge (docs/dedup.md). Admin clients only: a split changes what the case system holds.
 */
@RestController
public class SplitApi {

    private final OriginSplit split;

    public SplitApi(OriginSplit split) {
        this.split = split;
    }

    @PostMapping(path = "/api/v1/tickets/{ticketId}/origins/{channel}/{channelItemId}/split", produces = "application/json")
    public Map<String, Object> split(@PathVariable String ticketId, @PathVariable String channel, @PathVariable String channelItemId,
                                     @RequestParam(required = false) String client,
                                     @RequestAttribute(ApiClientRegistry.ATTRIBUTE) ApiClientRegistry.Client caller) {
        if (!caller.admin()) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "splitting a ticket needs an admin API client");
        }
        return split.split(ticketId, channel, channelItemId, client, caller.name());
    }
}
