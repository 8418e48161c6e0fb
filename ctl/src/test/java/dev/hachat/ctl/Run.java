package dev.hachat.ctl;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/** One {@code hachatctl} run inside the test JVM: its exit code, stdout and stderr. */
record Run(int code, String out, String err) {
  static Run of(Map<String, String> env, String... args) {
    CommandLine cl = HachatCtl.commandLine(env);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static Run of(String... args) {
    return of(Map.of(), args);
  }

  @Override
  public String toString() {
    return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
  }
}
