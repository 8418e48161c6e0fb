package dev.hachat.ctl.output;

import java.util.ArrayList;
import java.util.List;

/**
 * A terminal table: a header row and rows of cells, each column as wide as its widest cell, two
 * spaces apart, no trailing blanks.
 */
public final class Table {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  public Table(String... header) {
    this.header = List.of(header);
  }

  /** Adds a row; missing cells are blank, {@code null} is {@code -}. */
  public Table row(String... cells) {
    List<String> r = new ArrayList<>();
    for (int i = 0; i < header.size(); i++) {
      r.add(i < cells.length && cells[i] != null ? cells[i] : (i < cells.length ? "-" : ""));
    }
    rows.add(r);
    return this;
  }

  /** The table as lines of text, each ending with a newline. */
  public String render() {
    int[] width = new int[header.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = header.get(i).length();
      for (List<String> r : rows) {
        width[i] = Math.max(width[i], r.get(i).length());
      }
    }
    StringBuilder b = new StringBuilder();
    line(b, header, width);
    for (List<String> r : rows) {
      line(b, r, width);
    }
    return b.toString();
  }

  private static void line(StringBuilder b, List<String> cells, int[] width) {
    StringBuilder l = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      if (i > 0) {
        l.append("  ");
      }
      l.append(cells.get(i));
      if (i < cells.size() - 1) {
        l.append(" ".repeat(width[i] - cells.get(i).length()));
      }
    }
    b.append(l.toString().stripTrailing()).append('\n');
  }
}
