package city.hotline.hub.channel.weibo;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * After a re-authorisation on Weibo's side, the operator hands the hub the new token
 * ({@code POST /api/v1/channels/weibo/token {"accessToken": "..."}}, API key required):
 * polling resumes from the stored cursors. Restarting the hub with the new token in
 * {@code HUB_WEIBO_ACCESS_TOKEN} does the same.
 */
@RestController
public class WeiboTokenApi {

    private final WeiboAuth auth;

    public WeiboTokenApi(WeiboAuth auth) {
        this.auth = auth;
    }

    @PostMapping(path = "/api/v1/channels/weibo/token", consumes = "application/json", produces = "application/json")
    public Map<String, Object> newToken(@RequestBody Map<String, Object> body) {
        Object token = body.get("accessToken");
        if (!(token instanceof String s) || s.isBlank()) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "accessToken (string) is required");
        }
        auth.reauthorised(s);
        return Map.of("reauthorised", true);
    }
}
