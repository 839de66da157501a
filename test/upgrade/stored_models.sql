-- stored_models.sql — what a 0.1.0 user stored: fitted models in a table
-- and a view scoring with them, calling cvfw_clv_predict with ROW(...)
-- literals (a 0.2.0 overload would have made those calls ambiguous).
-- upgrade.sh reads stored_scores before and after the update and after a
-- dump and restore of the updated database.
CREATE TABLE stored_models (label text PRIMARY KEY, bg cvfw_bgnbd, gg cvfw_gg);
INSERT INTO stored_models VALUES
  ('cdnow', ROW(0.242593, 4.413532, 0.792886, 2.425754, -9582.4256, 2357), ROW(6.248807, 3.744587, 15.447732, -4055.9232, 946)),
  ('other', ROW(1.956, 19.89, 26.59, 81.27, NULL, NULL), ROW(2, 3, 10, NULL, NULL));
CREATE VIEW stored_scores AS
SELECT label, bg, gg,
       round(cvfw_bgnbd_expected(bg, 39)::numeric, 10) AS expected_39,
       round(cvfw_bgnbd_conditional(bg, 2, 30.43, 38.86, 39)::numeric, 10) AS conditional_39,
       round(cvfw_bgnbd_p_alive(bg, 2, 30.43, 38.86)::numeric, 10) AS p_alive,
       round(cvfw_clv_predict(bg, gg, 2, 30.43, 38.86, 22.35, 52, 0.01)::numeric, 8) AS clv,
       round(cvfw_clv_predict(ROW(0.243, 4.414, 0.793, 2.426, NULL, NULL), ROW(6.25, 3.74, 15.44, NULL, NULL),
                              2, 30.43, 38.86, 22.35, 52, 0.01)::numeric, 8) AS clv_literal
FROM stored_models ORDER BY label;
