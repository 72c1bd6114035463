package city.hotline.hub.channel.cti;

import java.util.List;
import java.util.Map;

/**
 * The caller's post-call key press ({@code PostIVRKeyPressed}) or the answer of a follow-up call, on
 * the ticket's five-level 好差评 scale. The label wins when it is one of the five; otherwise the key
 * counts, 1 = 非常满意 … 5 = 非常不满意 (the order the IVR prompt reads them out, docs/cti.md).
 */
public final class Satisfaction {

    public static final List<String> LEVELS = List.of("VERY_SATISFIED", "SATISFIED", "BASICALLY_SATISFIED", "DISSATISFIED",
            "VERY_DISSATISFIED");
    private static final Map<String, String> LABELS = Map.of(
            "非常满意", "VERY_SATISFIED",
            "满意", "SATISFIED",
            "基本满意", "BASICALLY_SATISFIED",
            "不满意", "DISSATISFIED",
            "非常不满意", "VERY_DISSATISFIED");

    private Satisfaction() {
    }

    /** The level, or null when neither the label nor the key names one. */
    public static String level(String key, String label) {
        if (label != null) {
            String l = label.strip();
            if (LABELS.containsKey(l)) {
                return LABELS.get(l);
            }
            if (LEVELS.contains(l)) {
                return l;
            }
        }
        if (key != null && key.strip().matches("[1-5]")) {
            return LEVELS.get(Integer.parseInt(key.strip()) - 1);
        }
        return null;
    }
}
