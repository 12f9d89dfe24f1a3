-- Include and exclude filters, on the task and as used by each execution.
ALTER TABLE tasks ADD COLUMN includes TEXT;
ALTER TABLE tasks ADD COLUMN excludes TEXT;
ALTER TABLE executions ADD COLUMN includes TEXT;
ALTER TABLE executions ADD COLUMN excludes TEXT;
