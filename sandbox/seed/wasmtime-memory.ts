/**
 * The two versions of `crates/runtime/src/memory.rs`: main rewrites the file on 2025-09-17, so a fix to
 * `grow` written against the new version conflicts on every branch cut before that day.
 */

/** `crates/runtime/src/memory.rs` before the rewrite on main (every branch cut before 2025-09-17). */
export const MEMORY_OLD = `//! Memory management for linear memories.
//!
//! \`MmapMemory\` is to WebAssembly linear memories what \`Table\` is to
//! WebAssembly tables.

use crate::mmap::Mmap;
use crate::vmcontext::VMMemoryDefinition;
use anyhow::{bail, Result};

/// The size, in bytes, of a WebAssembly page.
pub const WASM_PAGE_SIZE: usize = 0x10000;

/// A linear memory backed by an anonymous \`mmap\`.
pub struct MmapMemory {
    mmap: Mmap,
    current_pages: usize,
    maximum_pages: Option<usize>,
    offset_guard_size: usize,
}

impl MmapMemory {
    /// Grows the memory by \`delta\` pages, returning the previous size in
    /// bytes, or \`None\` if the memory cannot grow that far.
    pub fn grow(&mut self, delta: usize) -> Result<Option<usize>> {
        let old_byte_size = self.current_pages * WASM_PAGE_SIZE;
        let new_pages = self.current_pages + delta;
        if let Some(max) = self.maximum_pages {
            if new_pages > max {
                return Ok(None);
            }
        }
        let new_byte_size = new_pages * WASM_PAGE_SIZE;
        if new_byte_size > self.mmap.len() - self.offset_guard_size {
            bail!("memory reservation exhausted");
        }
        self.mmap.make_accessible(old_byte_size, new_byte_size - old_byte_size)?;
        self.current_pages = new_pages;
        Ok(Some(old_byte_size))
    }

    /// The \`VMMemoryDefinition\` compiled code uses to access this memory.
    pub fn vmmemory(&mut self) -> VMMemoryDefinition {
        VMMemoryDefinition {
            base: self.mmap.as_mut_ptr(),
            current_length: (self.current_pages * WASM_PAGE_SIZE).into(),
        }
    }
}
`;

export const MEMORY_OLD_ANCHOR = "        let new_pages = self.current_pages + delta;\n";
export const MEMORY_OLD_FIXED = `        let new_pages = match self.current_pages.checked_add(delta) {
            Some(pages) => pages,
            None => return Ok(None),
        };
`;

/** `crates/runtime/src/memory.rs` after "Refactor linear memories into `LocalMemory` and `SharedMemory`". */
export const MEMORY_NEW = `//! Linear memories: the memory one instance owns (\`LocalMemory\`) and
//! memories shared between threads (\`SharedMemory\`).

use crate::mmap::Mmap;
use crate::vmcontext::VMMemoryDefinition;
use std::sync::{Arc, RwLock};

/// Why a memory could not grow.
#[derive(Debug)]
pub enum GrowError {
    /// The new size would exceed the memory's maximum.
    ExceedsMaximum,
    /// The new size does not fit in the reservation or the address space.
    Overflow,
}

/// A linear memory owned by one instance.
pub struct LocalMemory {
    mmap: Mmap,
    byte_size: usize,
    maximum_byte_size: Option<usize>,
    page_size_log2: u8,
}

impl LocalMemory {
    /// The page size of this memory: 64 KiB, or 1 byte with custom page sizes.
    pub fn page_size(&self) -> usize {
        1 << self.page_size_log2
    }

    /// Grows the memory by \`delta_pages\` pages and returns the previous size
    /// in bytes.
    pub fn grow(&mut self, delta_pages: usize) -> Result<usize, GrowError> {
        let old_byte_size = self.byte_size;
        let delta_bytes = delta_pages * self.page_size();
        let new_byte_size = old_byte_size + delta_bytes;
        if self.maximum_byte_size.is_some_and(|max| new_byte_size > max) {
            return Err(GrowError::ExceedsMaximum);
        }
        self.mmap
            .make_accessible(old_byte_size, delta_bytes)
            .map_err(|_| GrowError::Overflow)?;
        self.byte_size = new_byte_size;
        Ok(old_byte_size)
    }

    /// The \`VMMemoryDefinition\` compiled code uses to access this memory.
    pub fn vmmemory(&mut self) -> VMMemoryDefinition {
        VMMemoryDefinition {
            base: self.mmap.as_mut_ptr(),
            current_length: self.byte_size.into(),
        }
    }
}

/// A memory shared between threads; growth is serialized by the lock.
#[derive(Clone)]
pub struct SharedMemory(Arc<RwLock<LocalMemory>>);

impl SharedMemory {
    pub fn grow(&self, delta_pages: usize) -> Result<usize, GrowError> {
        self.0.write().unwrap().grow(delta_pages)
    }
}
`;

export const MEMORY_NEW_ANCHOR = `        let delta_bytes = delta_pages * self.page_size();
        let new_byte_size = old_byte_size + delta_bytes;
`;
export const MEMORY_NEW_FIXED = `        let delta_bytes = delta_pages
            .checked_mul(self.page_size())
            .ok_or(GrowError::Overflow)?;
        let new_byte_size = old_byte_size
            .checked_add(delta_bytes)
            .ok_or(GrowError::Overflow)?;
`;
