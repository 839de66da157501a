// BiReports.java — read cvfw's BI reports through the PostgreSQL JDBC
// driver the way a BI tool does: run SELECT * on each view, ask the result
// set's metadata for every column's type, and read every value with
// getObject and with the getter for that type.  A column whose type is not
// a standard JDBC type (Types.OTHER, STRUCT, ...) fails; so does a value
// that reads differently through two getters, or a number that differs
// from the server's own report.  Then stage parameters as applications
// send them: setString (a varchar parameter; the connection has no
// stringtype=unspecified) compared with a cvfw_stage column, and a guarded
// table updated through prepared statements.
//
//   java -cp postgresql.jar BiReports.java jdbc:postgresql://127.0.0.1:PORT/DB user
//
// Prints TAP lines and "jdbc: N passed, N failed".
import java.sql.*;
import java.util.*;

public class BiReports {
    static int passed = 0, failed = 0;

    static void check(boolean ok, String what) {
        if (ok) passed++; else failed++;
        System.out.println((ok ? "ok " : "not ok ") + (passed + failed) + " - " + what);
    }

    // the JDBC types a BI tool charts without a driver-specific class
    static final Set<Integer> STANDARD = Set.of(Types.BIGINT, Types.DOUBLE, Types.VARCHAR,
            Types.TIMESTAMP, Types.TIMESTAMP_WITH_TIMEZONE);

    // every column of every row: type, getObject, the typed getter, getString
    static int readView(Connection c, String view, String orderBy) throws SQLException {
        int rows = 0;
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT * FROM " + view + " ORDER BY " + orderBy)) {
            ResultSetMetaData md = rs.getMetaData();
            boolean typesOk = true;
            StringBuilder types = new StringBuilder();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                int t = md.getColumnType(i);
                types.append(md.getColumnName(i)).append(':').append(md.getColumnTypeName(i))
                        .append('=').append(JDBCType.valueOf(t).getName()).append(' ');
                if (!STANDARD.contains(t)) {
                    typesOk = false;
                    System.out.println("# " + view + "." + md.getColumnName(i) + " has JDBC type " + t
                            + " (" + md.getColumnTypeName(i) + ")");
                }
            }
            check(typesOk, view + ": every column has a standard JDBC type (" + types.toString().trim() + ")");
            boolean valuesOk = true;
            while (rs.next()) {
                rows++;
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object o = rs.getObject(i);
                    String s = rs.getString(i);
                    String where = view + " row " + rows + " column " + md.getColumnName(i);
                    if (o == null) {
                        if (s != null) { valuesOk = false; System.out.println("# " + where + ": null object, text " + s); }
                        continue;
                    }
                    switch (md.getColumnType(i)) {
                        case Types.BIGINT: {
                            long v = rs.getLong(i);
                            if (!(o instanceof Long) || (Long) o != v || Long.parseLong(s) != v) {
                                valuesOk = false; System.out.println("# " + where + ": " + o + " / " + v + " / " + s);
                            }
                            break;
                        }
                        case Types.DOUBLE: {
                            double v = rs.getDouble(i);
                            if (!(o instanceof Double) || !((Double) o).equals(v) || Double.parseDouble(s) != v) {
                                valuesOk = false; System.out.println("# " + where + ": " + o + " / " + v + " / " + s);
                            }
                            break;
                        }
                        case Types.VARCHAR:
                            if (!(o instanceof String) || !o.equals(s)) {
                                valuesOk = false; System.out.println("# " + where + ": " + o + " / " + s);
                            }
                            break;
                        default: {
                            Timestamp v = rs.getTimestamp(i);
                            if (!(o instanceof Timestamp) || !o.equals(v)) {
                                valuesOk = false; System.out.println("# " + where + ": " + o + " / " + v);
                            }
                        }
                    }
                }
            }
            check(valuesOk && rows > 0, view + ": " + rows + " rows, every value read alike by getObject, "
                    + "the typed getter and getString");
        }
        return rows;
    }

    static long scalarLong(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static long countWith(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) ps.setString(i + 1, params[i]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static String stateOf(Connection c, String sql, Object... params) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                if (params[i] instanceof String) ps.setString(i + 1, (String) params[i]);
                else ps.setInt(i + 1, (Integer) params[i]);
            }
            ps.execute();
            return "ok";
        } catch (SQLException e) {
            return e.getSQLState();
        }
    }

    // stage parameters sent as setString sends them: typed varchar
    static void stageParameters(Connection c) throws SQLException {
        check(!c.getMetaData().getURL().contains("stringtype"), "the connection sends strings as varchar");
        long plain = scalarLong(c, "SELECT count(*) FROM events WHERE stage = 'experience'");
        check(plain > 0 && countWith(c, "SELECT count(*) FROM events WHERE stage = ?", "Experience") == plain,
                "WHERE stage = ? with setString(\"Experience\"): " + plain + " events, as the literal finds");
        check(countWith(c, "SELECT count(*) FROM events WHERE ? = stage", "experience") == plain,
                "WHERE ? = stage with setString");
        long inList = scalarLong(c, "SELECT count(*) FROM events WHERE stage IN ('awareness', 'advocacy')");
        check(countWith(c, "SELECT count(*) FROM events WHERE stage IN (?, ?)", "awareness", "advocacy") == inList,
                "WHERE stage IN (?, ?) with setString: " + inList + " events");
        long later = scalarLong(c, "SELECT count(*) FROM events WHERE stage >= 'advocacy'");
        check(countWith(c, "SELECT count(*) FROM events WHERE stage >= ?", "advocacy") == later,
                "WHERE stage >= ? with setString compares in wheel order: " + later + " events");
        check(countWith(c, "SELECT count(*) FROM events WHERE segment = ?", "smb")
                == scalarLong(c, "SELECT count(*) FROM events WHERE segment = 'smb'"),
                "a text column with setString still compares as text");
        check("22P02".equals(stateOf(c, "SELECT count(*) FROM events WHERE stage = ?", "churned")),
                "WHERE stage = ? with a value that is no stage: 22P02");
        // a guarded CRM table, written as a sync tool writes it
        String update = "UPDATE hubspot_contacts SET lifecyclestage = ? WHERE id = ?";
        check("ok".equals(stateOf(c, update, "marketingqualifiedlead", 1)), "the guard lets a valid label through");
        check("23514".equals(stateOf(c, update, "subscriber", 2)), "the guard refuses an invalid change: 23514");
        check("22P02".equals(stateOf(c, update, "churned", 1)), "the guard refuses a label the map lacks: 22P02");
        check(countWith(c, "SELECT count(*) FROM hubspot_contacts WHERE cvfw_stage(lifecyclestage, ?) = ?",
                "hubspot_lifecycle", "exploration") == 1, "cvfw_stage(label, ?) = ? with setString");
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], args[1], "")) {
            int stages = readView(c, "wheel_stages", "segment, position");
            check(stages == 18, "wheel_stages: six stages for each of three segments (" + stages + ")");
            readView(c, "wheel_moves", "from_position, to_position");
            readView(c, "wheel_value", "segment");
            readView(c, "wheel_picture", "1");
            int valued = readView(c, "wheel_stage_value", "segment, position");
            check(valued == 18, "wheel_stage_value: six stages for each of three segments (" + valued + ")");
            check(readView(c, "wheel_fix_first", "rank") == 6, "wheel_fix_first: six stages ranked");
            readView(c, "wheel_dwell_km", "position");

            // what the BI reports avoid: the type check would catch an
            // interval (PGInterval) and a cvfw_stage (both Types.OTHER)
            for (String sql : new String[] {"SELECT interval '1 day'", "SELECT 'awareness'::cvfw_stage"}) {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    int t = rs.getMetaData().getColumnType(1);
                    check(!STANDARD.contains(t), sql + ": would be refused (JDBC type "
                            + JDBCType.valueOf(t).getName() + ")");
                }
            }

            // the numbers as read equal the server's own reports
            long leakedJdbc = 0, visitsJdbc = 0;
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT leaked, visits FROM wheel_stages")) {
                while (rs.next()) { leakedJdbc += rs.getLong("leaked"); visitsJdbc += rs.getLong("visits"); }
            }
            long leakedServer = scalarLong(c, "SELECT sum(leaked) FROM (SELECT segment, "
                    + "cvfw_flow_by_customer(customer_id, stage, at, value, cost) AS flow FROM events GROUP BY segment) s, "
                    + "cvfw_leakage(s.flow, '2026-01-01', '30 days')");
            long visitsServer = scalarLong(c, "SELECT count(*) FROM (SELECT customer_id, stage, "
                    + "lag(stage) OVER (PARTITION BY customer_id ORDER BY at, stage) AS prev FROM events "
                    + "WHERE stage IS NOT NULL AND at IS NOT NULL) e WHERE prev IS DISTINCT FROM stage");
            check(leakedJdbc == leakedServer, "leaked customers read " + leakedJdbc + " = cvfw_leakage's " + leakedServer);
            check(visitsJdbc == visitsServer, "visits read " + visitsJdbc + " = visits counted in plain SQL " + visitsServer);

            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT svg FROM wheel_picture")) {
                rs.next();
                String svg = rs.getString(1);
                check(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.endsWith("</svg>\n"),
                        "wheel_picture: the SVG comes through as a string (" + svg.length() + " characters)");
            }
            stageParameters(c);
        } catch (Exception e) {
            failed++;
            System.out.println("not ok " + (passed + failed) + " - " + e);
        }
        System.out.println("1.." + (passed + failed));
        System.out.println("jdbc: " + passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
