package city.hotline.hub.console.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.util.WorkbookUtil;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;

/**
 * A report as CSV (UTF-8 with a byte-order mark, so spreadsheet programs read the Chinese headers;
 * one block per section) or XLSX (Apache POI; one sheet per section, rates as percentages). Cells
 * that a spreadsheet would take for a formula (=, +, -, @ first) are written with a leading
 * apostrophe: titles come from citizens.
 */
public final class ReportExport {

    private ReportExport() {
    }

    public static byte[] csv(Report report) {
        // quote only the cells that need it (commas, quotes, line breaks)
        CsvMapper mapper = CsvMapper.builder().enable(CsvGenerator.Feature.STRICT_CHECK_FOR_QUOTING).build();
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (SequenceWriter w = mapper.writer(CsvSchema.emptySchema()).writeValues(out)) {
            w.write(List.of(report.title()));
            for (Report.Section s : report.sections()) {
                w.write(List.of(s.title()));
                w.write(s.headers());
                for (List<Object> row : s.rows()) {
                    List<String> cells = new ArrayList<>();
                    row.forEach(c -> cells.add(safe(c)));
                    w.write(cells);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report as CSV", e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] xlsx(Report report) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle bold = wb.createCellStyle();
            Font font = wb.createFont();
            font.setBold(true);
            bold.setFont(font);
            CellStyle percent = wb.createCellStyle();
            percent.setDataFormat(wb.createDataFormat().getFormat("0.0%"));
            for (Report.Section s : report.sections()) {
                Sheet sheet = wb.createSheet(WorkbookUtil.createSafeSheetName(s.title()));
                Row title = sheet.createRow(0);
                title.createCell(0).setCellValue(report.title() + " · " + s.title());
                title.getCell(0).setCellStyle(bold);
                Row header = sheet.createRow(1);
                for (int i = 0; i < s.headers().size(); i++) {
                    Cell c = header.createCell(i);
                    c.setCellValue(s.headers().get(i));
                    c.setCellStyle(bold);
                }
                int r = 2;
                for (List<Object> row : s.rows()) {
                    Row x = sheet.createRow(r++);
                    for (int i = 0; i < row.size(); i++) {
                        Object v = row.get(i);
                        Cell c = x.createCell(i);
                        if (v instanceof Report.Rate rate) {
                            if (rate.value() == null) {
                                c.setCellValue("-");
                            } else {
                                c.setCellValue(rate.value());
                                c.setCellStyle(percent);
                            }
                        } else if (v instanceof Number n) {
                            c.setCellValue(n.doubleValue());
                        } else {
                            // POI writes strings as text cells: no formula is ever evaluated
                            c.setCellValue(v == null ? "" : v.toString());
                        }
                    }
                }
                for (int i = 0; i < s.headers().size(); i++) {
                    sheet.setColumnWidth(i, 16 * 256);
                }
            }
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the report as XLSX", e);
        }
    }

    static String safe(Object cell) {
        String s = cell == null ? "" : cell.toString();
        if (cell instanceof Number || cell instanceof Report.Rate) {
            return s;
        }
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }
}
