package city.hotline.hub.console;

import java.util.Map;

import city.hotline.hub.store.QuarantineStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping(path = "/api/v1/quarantine", produces = "application/json")
public class QuarantineApi {

    private final QuarantineStore quarantine;
    private final QuarantineReplayer replayer;

    public QuarantineApi(QuarantineStore quarantine, QuarantineReplayer replayer) {
        this.quarantine = quarantine;
        this.replayer = replayer;
    }

    @GetMapping
    public Map<String, Object> open(@RequestParam(defaultValue = "100") int limit) {
        return Map.of("items", quarantine.listOpen(Math.max(1, Math.min(limit, 1000))));
    }

    @PostMapping("/{id}/replay")
    public ResponseEntity<Map<String, Object>> replay(@PathVariable long id) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(replayer.replay(id));
    }
}
