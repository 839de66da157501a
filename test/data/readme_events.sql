-- readme_events.sql — the README's example events (hand-checked there), for
-- the regression tests that draw and report them (\i from the top directory).
CREATE TABLE crm_events (customer_id int, segment text, stage cvfw_stage,
                         at timestamptz, value numeric, cost numeric);
INSERT INTO crm_events VALUES
  (1, 'smb', 'awareness', '2026-01-01', 0, 10), (1, 'smb', 'exploration', '2026-01-03', 0, 0),
  (1, 'smb', 'value_realization', '2026-01-08', 120, 0), (1, 'smb', 'advocacy', '2026-01-20', 0, 0),
  (2, 'smb', 'awareness', '2026-01-02', 0, 12), (2, 'smb', 'exploration', '2026-01-04', 0, 0),
  (2, 'smb', 'awareness', '2026-01-10', 0, 0),
  (3, 'enterprise', 'awareness', '2026-01-05', 0, 30), (3, 'enterprise', 'experience', '2026-01-06', 0, 0),
  (3, 'enterprise', 'value_realization', '2026-01-15', 900, 0),
  (3, 'enterprise', 'engagement', '2026-02-20', 300, 0),
  (4, 'enterprise', 'exploration', '2026-01-07', 0, 5);
