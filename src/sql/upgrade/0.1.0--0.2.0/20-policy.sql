
-- 0.2.0: the forward policy; staying in a stage is valid under every policy
-- (the functions read the matrix's diagonal in 0.1.0, the trigger did not:
-- issue #16); cvfw_guard.  The functions' code changed in the library; their
-- comments change here.
COMMENT ON TYPE @extschema@.cvfw_policy IS
'set of allowed stage transitions: a policy name (wheel, strict, adjacent, forward, open, none) or edges from>to';

COMMENT ON FUNCTION @extschema@.cvfw_policy(pg_catalog.text) IS
'the named policy: wheel, strict, adjacent, forward, open or none';

COMMENT ON FUNCTION @extschema@.cvfw_transition_valid(@extschema@.cvfw_stage, @extschema@.cvfw_stage, @extschema@.cvfw_policy) IS
'may a customer move from one stage to the other under the policy (default wheel)? Staying in a stage is valid under every policy';

COMMENT ON FUNCTION @extschema@.cvfw_allowed_next(@extschema@.cvfw_stage, @extschema@.cvfw_policy) IS
'the stages the policy allows after a stage, the stage itself included (staying is always valid), in wheel order';

COMMENT ON FUNCTION @extschema@.cvfw_path_valid(@extschema@.cvfw_stage[], @extschema@.cvfw_policy) IS
'is every step of the path allowed? NULL elements are skipped, a repeated stage is valid';

COMMENT ON FUNCTION @extschema@.cvfw_first_invalid_step(@extschema@.cvfw_stage[], @extschema@.cvfw_policy) IS
'subscript of the first stage that may not follow the one before it (NULLs skipped, repeats valid); NULL when the path is valid';

COMMENT ON FUNCTION @extschema@.cvfw_enforce_transition() IS
'BEFORE UPDATE FOR EACH ROW trigger: cvfw_enforce_transition(''column'' [, ''policy'']) refuses stage changes the policy (default wheel) does not allow; cvfw_guard installs the guard nothing else on the table gets round';
