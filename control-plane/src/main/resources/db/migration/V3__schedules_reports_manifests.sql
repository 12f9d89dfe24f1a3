-- Schedules, task reports and manifests on the task; who started an execution and how its report went.
ALTER TABLE tasks ADD COLUMN schedule_expression TEXT;
ALTER TABLE tasks ADD COLUMN schedule_status VARCHAR(16);
ALTER TABLE tasks ADD COLUMN schedule_status_updated_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE tasks ADD COLUMN schedule_disabled_by VARCHAR(16);
ALTER TABLE tasks ADD COLUMN schedule_disabled_reason TEXT;
-- The next due time; a scheduler claims a run by moving it forward (compare and set).
ALTER TABLE tasks ADD COLUMN schedule_next_run_at TIMESTAMP WITH TIME ZONE;
-- Consecutive scheduled runs that ended with the same error code.
ALTER TABLE tasks ADD COLUMN schedule_failure_code VARCHAR(64);
ALTER TABLE tasks ADD COLUMN schedule_failure_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE tasks ADD COLUMN report_config TEXT;
ALTER TABLE tasks ADD COLUMN manifest_config TEXT;

CREATE INDEX tasks_by_next_run ON tasks(schedule_status, schedule_next_run_at);

ALTER TABLE executions ADD COLUMN started_by VARCHAR(16) DEFAULT 'USER' NOT NULL;
ALTER TABLE executions ADD COLUMN report_config TEXT;
ALTER TABLE executions ADD COLUMN report_result TEXT;
ALTER TABLE executions ADD COLUMN manifest_config TEXT;
