/** The transfer workflow: state (what may follow what), review, commit, and transport (dispatch, receipt). */
export { getTransfer, listTransfers } from './state'
export { approveMany, approveTransfer, editTransferQty, rejectTransfer } from './review'
export { cancelTransfer, commitGreenChannel, commitOneTransfer, commitPlanTransfers } from './commit'
export { dispatchTransfer, receiveTransfer, thawTransfer } from './transport'
