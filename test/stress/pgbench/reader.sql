-- an analyst reads the reports over the events the writers add to; one
-- snapshot for the whole transaction, so its computations see the same rows
BEGIN ISOLATION LEVEL REPEATABLE READ;
SELECT read_reports();
COMMIT;
