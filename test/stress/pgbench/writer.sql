-- a CRM user moves a contact to a random stage; low ids are hot, so
-- writers contend for the same rows
\set id random_exponential(1, :contacts, 4.0)
\set to random(0, 6)
\set col random(0, 2)
SELECT move_stage(:id, :to, :col = 0);
