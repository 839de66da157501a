-- fixtures-0.1.0.sql — flow summaries exactly as the cvfw 0.1.0 library
-- wrote them (their text form: the stored bytes in hex), of up_events in
-- values.sql.  Generated once, with 0.1.0 installed, by
--   SELECT cvfw_merge(f)::text FROM (SELECT cvfw_flow(stage, at, value, cost) f
--     FROM up_events WHERE customer_id BETWEEN 1 AND 4 GROUP BY customer_id) x;
-- (and cvfw_flow(stage, at) for customers 5 and 6).  Never regenerate
-- them: they stand for what is on disk at users' sites.
INSERT INTO up_flows_010 VALUES ('customers 1-4, values and costs', '[1,5)', E'\\x0101043f1e85eb51b81e0f400200071e85eb51b81e0940295c8fc2f528f43fd7a3703d0ad70d40018d1b0180888ed4e520020007713d0ad7a370014085eb51b81e85eb3f3333333333330340018d1b0280909ca8cb410300071e85eb51b81e0940295c8fc2f528f43ff6285c8fc2f5fc3f018d1b0180888ed4e5200200075c8fc2f5285cff3f0ad7a3703d0ae73fcdcccccccccc1340018d1b0280909ca8cb4103000747e17a14ae470d4015ae47e17a14f63f14ae47e17a942340018d1b0280909ca8cb410200075c8fc2f5285c0740ec51b81e85ebf13f7a14ae47e17a1b40018d1b0280909ca8cb4106010108020f0116021d021e02049c8a0103018080bbc4b486db028090d7ecffc7db022805018080d8d2cea9db0280a090a3e5acdc022801018080f5e0e8ccdb0280b0c9d9ca91dd02280301808092ef82f0db0280c08290b0f6dd021a64f6aa');
INSERT INTO up_flows_010 VALUES ('customers 5-6, stages only', '[5,7)', E'\\x0100023f020000018d1b0180888ed4e520010000018d1b0180888ed4e520010000018d1b0180888ed4e520010000018d1b0180888ed4e52001000000010000018d1b0180888ed4e52005010108010f0116011e0102c88a0101018080cc8bb7b6dc028080cc8bb7b6dc027405018080affd9c93dc0280d0bbc695dbde0273f54390');
