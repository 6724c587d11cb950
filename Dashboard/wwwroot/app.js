// Small helpers the Blazor components call through JS interop.
window.dashboard = {
    copyText: async (text) => { await navigator.clipboard.writeText(text); return true; },
    download: (fileName, contentType, text) => {
        const url = URL.createObjectURL(new Blob([text], { type: contentType }));
        const a = document.createElement("a");
        a.href = url; a.download = fileName; document.body.appendChild(a); a.click(); a.remove();
        URL.revokeObjectURL(url);
    },
};
