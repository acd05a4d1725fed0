//! The Python binding: bytes in, bytes out, the GIL released while Rust works.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

// Re-exported by `pgmt.errors` as the base of its `PlanError`.
create_exception!(_core, CoreError, PyValueError);

fn to_py(error: crate::Error) -> PyErr {
    CoreError::new_err(error.to_string())
}

/// Diff two msgpack snapshots; returns the msgpack plan.
#[pyfunction]
fn plan<'py>(py: Python<'py>, source: &[u8], target: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| crate::plan_bytes(source, target))
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Seconds per stage, by name.
type Stages = Vec<(&'static str, f64)>;

/// `plan`, returning also the seconds each stage took (for benchmarks):
/// `decode_and_hash`, `diff_and_order`, `encode`.
#[pyfunction]
fn plan_timed<'py>(
    py: Python<'py>,
    source: &[u8],
    target: &[u8],
) -> PyResult<(Bound<'py, PyBytes>, Stages)> {
    let (bytes, timings) = py
        .detach(|| crate::plan_bytes_timed(source, target))
        .map_err(to_py)?;
    let stages = vec![
        ("decode_and_hash", timings.decode_and_hash),
        ("diff_and_order", timings.diff_and_order),
        ("encode", timings.encode),
    ];
    Ok((PyBytes::new(py, &bytes), stages))
}

/// Decode a snapshot and encode it again, to prove the boundary loses nothing.
#[pyfunction]
fn roundtrip_snapshot<'py>(py: Python<'py>, snapshot: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| crate::encode(&crate::decode_snapshot(snapshot, "given")?))
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

#[pyfunction]
fn snapshot_hash(py: Python<'_>, snapshot: &[u8]) -> PyResult<String> {
    py.detach(|| crate::snapshot_hash_of(&crate::decode_snapshot(snapshot, "given")?, snapshot))
        .map_err(to_py)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", crate::VERSION)?;
    m.add("CoreError", m.py().get_type::<CoreError>())?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan_timed, m)?)?;
    m.add_function(wrap_pyfunction!(roundtrip_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot_hash, m)?)?;
    Ok(())
}
