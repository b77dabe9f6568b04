//! Documents written out of the records: for now the XLSX workbook every list exports
//! to. The review report in the official DOCX layout, and its charts, join this room.

pub mod xlsx;
