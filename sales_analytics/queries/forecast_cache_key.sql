-- What a cached read of this database is keyed on: its file (NULL in memory), its data version
-- (every import and delete bumps it) and the time of its latest import (two databases that once
-- stood at the same path with the same version still differ there).
with database_file as (
    select path from duckdb_databases() where database_name = current_database()
),

version as (
    select version from data_version
),

imports as (
    select max(imported_at) as last_import from import_batches
),

final as (
    select database_file.path, version.version, imports.last_import from database_file, version, imports
)

select * from final
