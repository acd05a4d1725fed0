//! The Python binding: msgpack bytes in (or snapshots decoded ahead, `LoadedSnapshot`),
//! bytes out, the GIL released while Rust works.

use pyo3::create_exception;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

// Re-exported by `pgmt.errors` as the base of its `PlanError`.
create_exception!(_core, CoreError, PyValueError);

fn to_py(error: crate::Error) -> PyErr {
    CoreError::new_err(error.to_string())
}

/// A snapshot the core has decoded and hashed (`load_snapshot`), to plan from.
#[pyclass(frozen, module = "pgmt._core")]
struct LoadedSnapshot(crate::Loaded);

impl Drop for LoadedSnapshot {
    fn drop(&mut self) {
        crate::drop_elsewhere(std::mem::take(&mut self.0));
    }
}

/// Decode and hash a msgpack snapshot now, ahead of `plan`.
#[pyfunction]
fn load_snapshot(py: Python<'_>, snapshot: &[u8]) -> PyResult<LoadedSnapshot> {
    py.detach(|| crate::load(snapshot, "given"))
        .map(LoadedSnapshot)
        .map_err(to_py)
}

/// A side of a plan as Python gives it: msgpack bytes or a `LoadedSnapshot`.
fn side<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<crate::Side<'a>> {
    if let Ok(loaded) = value.cast::<LoadedSnapshot>() {
        return Ok(crate::Side::Loaded(&loaded.get().0));
    }
    match value.cast::<PyBytes>() {
        Ok(bytes) => Ok(crate::Side::Bytes(bytes.as_bytes())),
        Err(_) => Err(PyTypeError::new_err(format!(
            "a snapshot must be msgpack bytes or a LoadedSnapshot, not {}",
            value.get_type().name()?
        ))),
    }
}

/// Diff two snapshots (msgpack bytes, or loaded); returns the msgpack plan.
#[pyfunction]
fn plan<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    target: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    Ok(plan_timed(py, source, target)?.0)
}

/// Seconds per stage, by name.
type Stages = Vec<(&'static str, f64)>;

/// `plan`, returning also the seconds each stage took (for benchmarks):
/// `decode_and_hash`, `diff_and_order`, `encode`.
#[pyfunction]
fn plan_timed<'py>(
    py: Python<'py>,
    source: &Bound<'py, PyAny>,
    target: &Bound<'py, PyAny>,
) -> PyResult<(Bound<'py, PyBytes>, Stages)> {
    let (source, target) = (side(source)?, side(target)?);
    let (bytes, timings) = py
        .detach(|| crate::plan_sides_timed(source, target))
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
        .detach(|| crate::encode_snapshot(&crate::decode_snapshot(snapshot, "given")?))
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

#[pyfunction]
fn snapshot_hash(py: Python<'_>, snapshot: &[u8]) -> PyResult<String> {
    py.detach(|| crate::load(snapshot, "given").map(|loaded| loaded.hash))
        .map_err(to_py)
}

#[pymodule]
fn _core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", crate::VERSION)?;
    m.add("CoreError", m.py().get_type::<CoreError>())?;
    m.add_class::<LoadedSnapshot>()?;
    m.add_function(wrap_pyfunction!(load_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(plan, m)?)?;
    m.add_function(wrap_pyfunction!(plan_timed, m)?)?;
    m.add_function(wrap_pyfunction!(roundtrip_snapshot, m)?)?;
    m.add_function(wrap_pyfunction!(snapshot_hash, m)?)?;
    Ok(())
}
