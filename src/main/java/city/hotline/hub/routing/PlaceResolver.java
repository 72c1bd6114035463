package city.hotline.hub.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the district and street (街乡) of the hub's city that a ticket's address or text names.
 *
 * <p>Names are matched longest-first at each position of the text: a full name (洋湖街道, 岳麓区) or a
 * short form without its suffix (洋湖, 岳麓) when that short form belongs to one division only. Written
 * as a plain scan rather than with an Aho-Corasick library: the city has ~200 names, texts are a few
 * hundred characters, and org.ahocorasick is not among the artifacts served here.
 *
 * <p>A street decides the district: the board data masks district names (A3区) but keeps street names
 * real, so 洋湖街道 gives 岳麓区 whatever district the text names. Several streets in different districts,
 * or nothing known, leave the place unresolved with the reason; the resolver never guesses.
 */
public class PlaceResolver {

    /** What the text names, from the most to the least precise. */
    public record Place(boolean resolved, String province, String city, Divisions.Area district, Divisions.Street street,
                        String reason) {

        public String divisionCode() {
            return street != null ? street.code() : district != null ? district.code() : null;
        }
    }

    private static final int[] NO_LENGTHS = {};

    private final Divisions divisions;
    /** name or unambiguous short form -> the division it names (an Area or a Street) */
    private final Map<String, Object> names = new HashMap<>();
    /** first character of a name -> the lengths of the names starting with it, longest first */
    private final Map<Character, int[]> lengthsByFirstChar;

    public PlaceResolver(Divisions divisions) {
        this.divisions = divisions;
        Map<String, Set<Object>> shortForms = new HashMap<>();
        for (Divisions.Area a : divisions.areas()) {
            names.put(a.name(), a);
            // 岳麓区 -> 岳麓; not 长沙县 -> 长沙 or 浏阳市 -> 浏阳 (the city's own name, or a town's)
            if (a.name().endsWith("区") && a.name().length() >= 3) {
                shortForms.computeIfAbsent(a.name().substring(0, a.name().length() - 1), k -> new LinkedHashSet<>()).add(a);
            }
        }
        for (Divisions.Street s : divisions.streets()) {
            // the same full name in two districts of one city (rare) names neither for sure
            Object before = names.putIfAbsent(s.name(), s);
            if (before != null && before != s) {
                names.put(s.name(), AMBIGUOUS);
            }
            String shortName = s.name().replaceFirst("(街道|镇|乡)$", "");
            if (!shortName.equals(s.name()) && shortName.length() >= 2) {
                shortForms.computeIfAbsent(shortName, k -> new LinkedHashSet<>()).add(s);
            }
        }
        shortForms.forEach((name, owners) -> {
            if (owners.size() == 1 && !names.containsKey(name) && !divisions.cityName().startsWith(name)) {
                names.put(name, owners.iterator().next());
            }
        });
        // the province's and the city's own names are read and skipped, so that no short form is found
        // inside them (沙市, the short form of 沙市镇, inside 长沙市)
        for (String own : new String[] {divisions.provinceName(), divisions.cityName()}) {
            if (own != null) {
                names.put(own, CONTEXT);
                String bare = own.replaceFirst("(省|市|自治区|特别行政区)$", "");
                if (bare.length() >= 2) {
                    names.putIfAbsent(bare, CONTEXT);
                }
            }
        }
        // most characters of a text start no name: one look-up of the character skips them, instead of a
        // substring per candidate length at every position (the scan was 7% of the hub's CPU at full load)
        Map<Character, java.util.TreeSet<Integer>> lengths = new HashMap<>();
        for (String n : names.keySet()) {
            lengths.computeIfAbsent(n.charAt(0), c -> new java.util.TreeSet<>(java.util.Comparator.reverseOrder())).add(n.length());
        }
        this.lengthsByFirstChar = new HashMap<>();
        lengths.forEach((c, l) -> lengthsByFirstChar.put(c, l.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static final Object AMBIGUOUS = new Object();
    /** The province's or the city's own name: consumed, names no district. */
    private static final Object CONTEXT = new Object();

    public Divisions divisions() {
        return divisions;
    }

    /** The place named by {@code address} (location fields), or else by {@code text} (title and content). */
    public Place resolve(String address, String text) {
        Place fromAddress = address == null || address.isBlank() ? null : resolveIn(address);
        if (fromAddress != null && fromAddress.resolved()) {
            return fromAddress;
        }
        Place fromText = text == null || text.isBlank() ? null : resolveIn(text);
        if (fromText != null && (fromText.resolved() || fromAddress == null)) {
            return fromText;
        }
        return fromAddress != null ? fromAddress : unresolved("no address or text to resolve");
    }

    Place resolveIn(String text) {
        Set<Divisions.Street> streets = new LinkedHashSet<>();
        Set<Divisions.Area> areas = new LinkedHashSet<>();
        for (Object hit : scan(text)) {
            if (hit instanceof Divisions.Street s) {
                streets.add(s);
            } else if (hit instanceof Divisions.Area a) {
                areas.add(a);
            }
        }
        if (streets.size() > 1 && !areas.isEmpty()) {
            // a district named next to several streets picks the one street inside it
            List<Divisions.Street> inNamed = streets.stream().filter(s -> areas.contains(s.area())).toList();
            if (inNamed.size() == 1) {
                streets = Set.of(inNamed.get(0));
            }
        }
        if (streets.size() == 1) {
            Divisions.Street s = streets.iterator().next();
            return new Place(true, divisions.provinceName(), divisions.cityName(), s.area(), s, null);
        }
        Set<Divisions.Area> streetAreas = new LinkedHashSet<>();
        streets.forEach(s -> streetAreas.add(s.area()));
        if (streetAreas.size() == 1) {
            Divisions.Area a = streetAreas.iterator().next();
            return new Place(true, divisions.provinceName(), divisions.cityName(), a, null, null);
        }
        if (streetAreas.size() > 1) {
            return unresolved("streets of several districts named: " + streets.stream().map(Divisions.Street::name).toList());
        }
        if (areas.size() == 1) {
            return new Place(true, divisions.provinceName(), divisions.cityName(), areas.iterator().next(), null, null);
        }
        if (areas.size() > 1) {
            return unresolved("several districts named: " + areas.stream().map(Divisions.Area::name).toList());
        }
        return unresolved("no district or street of " + divisions.cityName() + " named");
    }

    private Place unresolved(String reason) {
        return new Place(false, null, null, null, null, reason);
    }

    /** The divisions named in the text, longest name first at each position, in order of appearance. */
    private List<Object> scan(String text) {
        List<Object> hits = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int matched = 0;
            int[] lengths = lengthsByFirstChar.getOrDefault(text.charAt(i), NO_LENGTHS);
            for (int len : lengths) {
                if (len < 2 || len > text.length() - i) {
                    continue;
                }
                Object d = names.get(text.substring(i, i + len));
                if (d != null) {
                    if (d != AMBIGUOUS && d != CONTEXT) {
                        hits.add(d);
                    }
                    matched = len;
                    break;
                }
            }
            i += matched > 0 ? matched : 1;
        }
        return hits;
    }
}
