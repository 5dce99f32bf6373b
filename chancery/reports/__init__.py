"""Reports: imports of people lists (CSV, XLSX) and exports of the registers."""
