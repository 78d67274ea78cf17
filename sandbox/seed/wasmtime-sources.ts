/**
 * Rust-like sources of the Wasmtime-like tree. Lines named in `*_ANCHOR` constants are what fixes
 * replace; churn only ever appends at the end of a file, so anchors stay put on every branch.
 */

export const TABLE = `//! WebAssembly tables: growable arrays of function or extern references.

use crate::vmcontext::VMFuncRef;
use crate::Trap;

/// An element of a table.
#[derive(Clone, Copy)]
pub enum TableElement {
    FuncRef(*mut VMFuncRef),
    ExternRef(Option<u32>),
    Uninit,
}

/// A WebAssembly table.
pub struct Table {
    elements: Vec<TableElement>,
    maximum: Option<u32>,
}

impl Table {
    /// The number of elements in the table.
    pub fn size(&self) -> u32 {
        self.elements.len() as u32
    }

    /// Fills \`len\` elements starting at \`dst\` with \`val\` (\`table.fill\`).
    pub fn fill(&mut self, dst: u32, val: TableElement, len: u32) -> Result<(), Trap> {
        let end = dst + len;
        if end > self.size() {
            return Err(Trap::TableOutOfBounds);
        }
        for slot in &mut self.elements[dst as usize..end as usize] {
            *slot = val;
        }
        Ok(())
    }

    /// Grows the table by \`delta\` elements initialized to \`init\`, returning
    /// the previous size, or \`None\` if the table cannot grow that far.
    pub fn grow(&mut self, delta: u32, init: TableElement) -> Option<u32> {
        let old_size = self.size();
        let new_size = old_size.checked_add(delta)?;
        if self.maximum.is_some_and(|max| new_size > max) {
            return None;
        }
        self.elements.resize(new_size as usize, init);
        Some(old_size)
    }
}
`;

export const TABLE_ANCHOR = "        let end = dst + len;\n";
export const TABLE_FIXED = "        let end = dst.checked_add(len).ok_or(Trap::TableOutOfBounds)?;\n";

export const INSTANCE = `//! Instances: the runtime state of an instantiated module.

use crate::table::{Table, TableElement};
use anyhow::{bail, Result};

/// An instantiated module.
pub struct Instance {
    tables: Vec<Table>,
    passive_elements: Vec<Vec<TableElement>>,
}

impl Instance {
    /// Applies the module's active element segments to its first table.
    pub fn initialize_tables(&mut self, segments: &[(u32, Vec<TableElement>)]) -> Result<()> {
        let table = &self.tables[0];
        for (offset, elements) in segments {
            if *offset as usize + elements.len() > table.size() as usize {
                bail!("elements segment does not fit");
            }
        }
        Ok(())
    }
}
`;

export const VMCONTEXT = `//! Data structures shared between compiled code and the runtime.

/// The memory a compiled function reads through \`vmctx\`.
#[repr(C)]
pub struct VMMemoryDefinition {
    pub base: *mut u8,
    pub current_length: std::sync::atomic::AtomicUsize,
}

/// Runtime limits checked by compiled code.
#[repr(C)]
pub struct VMRuntimeLimits {
    pub stack_limit: usize,
    pub fuel_consumed: i64,
}

impl VMRuntimeLimits {
    pub fn set_stack_limit(&mut self, limit: usize) {
        self.stack_limit = limit;
    }
}
`;

export const FILESYSTEM = `//! The \`wasi:filesystem\` implementation.

use crate::dir::{Dir, PathFlags};
use crate::{FsError, FsResult};

/// Opens \`name\` relative to the preopened directory \`dir\`.
pub fn path_open(dir: &Dir, name: &str, flags: PathFlags) -> FsResult<Dir> {
    let follow = true;
    let path = dir.join(name);
    dir.open(&path, follow).map_err(FsError::from)
}
`;

export const PREVIEW1 = `//! The WASI preview1 adapter on top of preview2.

use crate::{Dirent, Errno, File};

pub fn fd_readdir(entries: &[Dirent], out: &mut Vec<(u64, String)>) -> Result<(), Errno> {
    for entry in entries {
        let cookie = entry.index;
        out.push((cookie, entry.name.clone()));
    }
    Ok(())
}

pub fn fd_pread(file: &File, buf: &mut [u8], offset: u64) -> Result<usize, Errno> {
    let _ = offset;
    let nread = file.read(buf)?;
    Ok(nread)
}
`;

export const LOWER_X64 = `//! Lowering of CLIF instructions to x64 machine instructions.

use crate::isa::x64::{Inst, Lower, Reg};

/// Lowers \`i8x16.shl\`: x64 has no byte-wise shift, so shift words and mask.
pub fn lower_i8x16_shl(ctx: &mut Lower, insn: Inst) -> Option<Reg> {
    let src = ctx.put_input_in_reg(insn, 0);
    let amt = ctx.put_input_in_reg(insn, 1);
    let shifted = ctx.emit_psllw(src, amt);
    Some(ctx.emit_pand(shifted, ctx.shl_mask(amt)))
}
`;
