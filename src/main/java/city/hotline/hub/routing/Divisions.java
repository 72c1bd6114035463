package city.hotline.hub.routing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;

/**
 * The administrative divisions of one city (its province, its districts and its streets/townships),
 * read from the national division files in {@code mappings/divisions/} (2022 edition, copied from the
 * shared fixtures). Street names repeat across the country (城关镇 88 times), so only the hub's city is
 * loaded: a street name means a street of this city.
 *
 * @param cityCode 6-digit city code (430100)
 */
public record Divisions(String provinceCode, String provinceName, String cityCode, String cityName,
                        List<Area> areas, List<Street> streets) {

    public record Area(String code, String name) {
    }

    public record Street(String code, String name, Area area) {
    }

    /**
     * @param location folder holding provinces.csv, cities.csv, areas.csv, streets.csv (classpath: or file:)
     * @param city     the city's code, 4 or 6 digits (4301 or 430100)
     */
    public static Divisions load(String location, String city) {
        String city4 = city.length() >= 4 ? city.substring(0, 4) : city;
        if (!city4.matches("[0-9]{4}") || (city.length() == 6 && !city.endsWith("00")) || (city.length() != 4 && city.length() != 6)) {
            throw new IllegalArgumentException("hub.routing.city must be a city's division code such as 430100, got '" + city + "'");
        }
        String province2 = city4.substring(0, 2);
        String provinceName = null;
        for (Map<String, String> row : read(location, "provinces.csv")) {
            if (province2.equals(row.get("code"))) {
                provinceName = row.get("name");
            }
        }
        String cityName = null;
        for (Map<String, String> row : read(location, "cities.csv")) {
            if (city4.equals(row.get("code"))) {
                cityName = row.get("name");
            }
        }
        if (provinceName == null || cityName == null) {
            throw new IllegalArgumentException("hub.routing.city " + city + " is not a city in " + location + "/cities.csv");
        }
        Map<String, Area> areas = new HashMap<>();
        List<Area> areaList = new ArrayList<>();
        for (Map<String, String> row : read(location, "areas.csv")) {
            if (city4.equals(row.get("cityCode"))) {
                Area a = new Area(row.get("code"), row.get("name"));
                areas.put(a.code(), a);
                areaList.add(a);
            }
        }
        List<Street> streets = new ArrayList<>();
        for (Map<String, String> row : read(location, "streets.csv")) {
            if (city4.equals(row.get("cityCode"))) {
                Area a = areas.get(row.get("areaCode"));
                if (a != null) {
                    streets.add(new Street(row.get("code"), row.get("name"), a));
                }
            }
        }
        return new Divisions(province2 + "0000", provinceName, city4 + "00", cityName, List.copyOf(areaList), List.copyOf(streets));
    }

    private static List<Map<String, String>> read(String location, String file) {
        Resource r = new DefaultResourceLoader().getResource(location + "/" + file);
        CsvMapper csv = new CsvMapper();
        try (InputStream in = r.getInputStream();
             MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class)
                     .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
            return it.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + location + "/" + file, e);
        }
    }
}
