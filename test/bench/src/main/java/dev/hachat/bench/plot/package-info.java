/**
 * PNG plots of benchmark results ({@code scripts/bench plot}): a small headless Java2D line chart
 * ({@link dev.hachat.bench.plot.LineChart}) and the reader of the CSV files the load and failover
 * benchmarks write next to their RESULT lines ({@link dev.hachat.bench.plot.PlotMain}).
 */
package dev.hachat.bench.plot;
