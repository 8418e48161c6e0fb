package dev.hachat.bench.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart rendered to PNG with Java2D (headless): linear x axis, linear or log-10 y axis,
 * several named series with markers, a legend. Enough for benchmark figures, nothing more.
 */
public final class LineChart {
  /** A named series of points, drawn in the order given. */
  public record Series(String name, List<double[]> points) {}

  private static final Color[] COLORS = {
    new Color(0x1f77b4),
    new Color(0xd62728),
    new Color(0x2ca02c),
    new Color(0xff7f0e),
    new Color(0x9467bd),
    new Color(0x8c564b)
  };
  private static final int W = 900;
  private static final int H = 560;
  private static final int LEFT = 80;
  private static final int RIGHT = 30;
  private static final int TOP = 50;
  private static final int BOTTOM = 70;

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logY;
  private final boolean markers;
  private final List<Series> series = new ArrayList<>();

  public LineChart(String title, String xLabel, String yLabel, boolean logY, boolean markers) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logY = logY;
    this.markers = markers;
  }

  public LineChart add(Series s) {
    series.add(s);
    return this;
  }

  public void writePng(Path file) throws IOException {
    BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      draw(g);
    } finally {
      g.dispose();
    }
    Files.createDirectories(file.toAbsolutePath().getParent());
    ImageIO.write(img, "png", file.toFile());
  }

  private void draw(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, W, H);
    double[] xr = range(0, false);
    double[] yr = range(1, logY);
    Axis x = new Axis(xr[0], xr[1], false, LEFT, W - RIGHT);
    Axis y = new Axis(yr[0], yr[1], logY, H - BOTTOM, TOP);
    drawGrid(g, x, y);
    for (int i = 0; i < series.size(); i++) {
      drawSeries(g, series.get(i), COLORS[i % COLORS.length], x, y);
    }
    drawLegend(g);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 17));
    g.drawString(title, LEFT, 30);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    FontMetrics fm = g.getFontMetrics();
    g.drawString(xLabel, LEFT + (W - LEFT - RIGHT - fm.stringWidth(xLabel)) / 2, H - 20);
    Graphics2D r = (Graphics2D) g.create();
    r.rotate(-Math.PI / 2);
    r.drawString(yLabel, -(TOP + (H - TOP - BOTTOM + fm.stringWidth(yLabel)) / 2), 20);
    r.dispose();
  }

  /** min and max of coordinate {@code c} over every point (log: positive values only). */
  private double[] range(int c, boolean log) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (Series s : series) {
      for (double[] p : s.points()) {
        if (!log || p[c] > 0) {
          min = Math.min(min, p[c]);
          max = Math.max(max, p[c]);
        }
      }
    }
    if (min == Double.MAX_VALUE) {
      return new double[] {log ? 1 : 0, log ? 10 : 1};
    }
    if (log) {
      return new double[] {
        Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max)))
      };
    }
    double span = max - min;
    double step = niceStep(span <= 0 ? Math.max(1, Math.abs(max)) : span);
    return new double[] {
      Math.min(0, Math.floor(min / step) * step),
      Math.ceil(max / step) * step + (span <= 0 ? step : 0)
    };
  }

  private static double niceStep(double span) {
    double raw = span / 8;
    double mag = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / mag;
    return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * mag;
  }

  /** Maps data to pixels along one axis. */
  private record Axis(double min, double max, boolean log, int from, int to) {
    double px(double v) {
      double a = log ? Math.log10(min) : min;
      double b = log ? Math.log10(max) : max;
      double t = ((log ? Math.log10(Math.max(v, min)) : v) - a) / (b - a);
      return from + t * (to - from);
    }

    List<Double> ticks() {
      List<Double> out = new ArrayList<>();
      if (log) {
        for (double v = min; v <= max * 1.0001; v *= 10) {
          out.add(v);
        }
      } else {
        double step = niceStep(max - min);
        for (double v = min; v <= max + step / 1000; v += step) {
          out.add(v);
        }
      }
      return out;
    }
  }

  private void drawGrid(Graphics2D g, Axis x, Axis y) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    FontMetrics fm = g.getFontMetrics();
    for (double v : x.ticks()) {
      int px = (int) Math.round(x.px(v));
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(px, TOP, px, H - BOTTOM);
      g.setColor(Color.DARK_GRAY);
      String s = label(v);
      g.drawString(s, px - fm.stringWidth(s) / 2, H - BOTTOM + 18);
    }
    for (double v : y.ticks()) {
      int py = (int) Math.round(y.px(v));
      g.setColor(new Color(0xe6e6e6));
      g.drawLine(LEFT, py, W - RIGHT, py);
      g.setColor(Color.DARK_GRAY);
      String s = label(v);
      g.drawString(s, LEFT - 8 - fm.stringWidth(s), py + 4);
    }
    g.setColor(Color.BLACK);
    g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
  }

  private static String label(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.format("%,d", (long) v);
    }
    return String.format("%.2f", v).replaceAll("0+$", "");
  }

  private void drawSeries(Graphics2D g, Series s, Color color, Axis x, Axis y) {
    g.setColor(color);
    g.setStroke(new BasicStroke(2f));
    Path2D path = new Path2D.Double();
    boolean first = true;
    for (double[] p : s.points()) {
      double px = x.px(p[0]);
      double py = y.px(p[1]);
      if (first) {
        path.moveTo(px, py);
        first = false;
      } else {
        path.lineTo(px, py);
      }
      if (markers) {
        g.fillOval((int) px - 4, (int) py - 4, 8, 8);
      }
    }
    g.draw(path);
    g.setStroke(new BasicStroke(1f));
  }

  private void drawLegend(Graphics2D g) {
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    int lx = LEFT + 15;
    int ly = TOP + 20;
    for (int i = 0; i < series.size(); i++) {
      g.setColor(COLORS[i % COLORS.length]);
      g.fillRect(lx, ly + 20 * i - 9, 18, 4);
      g.setColor(Color.BLACK);
      g.drawString(series.get(i).name(), lx + 26, ly + 20 * i - 3);
    }
  }
}
