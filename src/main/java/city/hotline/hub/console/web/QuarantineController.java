package city.hotline.hub.console.web;

import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * {@code /console/quarantine}: each item's channel, stage, reason and raw payload (escaped, and
 * masked for an operator), replay after a fix (console.QuarantineReplayer, as the API does) and
 * discard with a note.
 */
@Controller
public class QuarantineController {

    private final ConsoleQueries queries;
    private final ConsoleActions actions;

    public QuarantineController(ConsoleQueries queries, ConsoleActions actions) {
        this.queries = queries;
        this.actions = actions;
    }

    @GetMapping("/console/quarantine")
    String list(@RequestParam(defaultValue = "OPEN") String state, Model model) {
        String s = switch (state) {
            case "REPLAYED", "DISCARDED" -> state;
            default -> "OPEN";
        };
        model.addAttribute("state", s);
        model.addAttribute("items", queries.quarantine(s, 200));
        return "console/quarantine";
    }

    @PostMapping("/console/quarantine/{id}/replay")
    String replay(@PathVariable long id, Authentication auth, RedirectAttributes redirect) {
        try {
            actions.replay(id, auth.getName());
            redirect.addFlashAttribute("message", "已重放 (item " + id + " replayed)");
        } catch (ResponseStatusException e) {
            redirect.addFlashAttribute("message", "无法重放 (item " + id + "): " + e.getReason());
        }
        return "redirect:/console/quarantine";
    }

    @PostMapping("/console/quarantine/{id}/discard")
    String discard(@PathVariable long id, @RequestParam String note, Authentication auth, RedirectAttributes redirect) {
        if (note == null || note.isBlank()) {
            redirect.addFlashAttribute("message", "请填写说明 (a note is required to discard item " + id + ")");
        } else if (actions.discard(id, note.strip(), auth.getName())) {
            redirect.addFlashAttribute("message", "已丢弃 (item " + id + " discarded)");
        } else {
            redirect.addFlashAttribute("message", "无法丢弃 (item " + id + " is not open)");
        }
        return "redirect:/console/quarantine";
    }
}
