-- PostgreSQL only (autovacuum settings of the delivery engine's tables): SQLite has no autovacuum
-- of that kind, so this migration changes nothing here. It exists so both providers have the
-- same migrations, by name.
SELECT 1;
